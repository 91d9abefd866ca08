<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About gpudesk</source>
        <translation>关于 gpudesk</translation>
    </message>
    <message>
        <source>gpudesk helps you rent a cloud GPU and work on it: choose a platform and a GPU, pick an image, paste the ssh command the console shows, and gpudesk checks the instance and remembers it.</source>
        <translation>gpudesk 帮你租用云 GPU 并在上面工作：选平台和显卡、选镜像，粘贴控制台给出的 ssh 登录指令，gpudesk 会检查实例并记住它。</translation>
    </message>
    <message>
        <source>SSH</source>
        <translation>SSH</translation>
    </message>
    <message>
        <source>web notebook</source>
        <translation>网页笔记本</translation>
    </message>
    <message>
        <source>Platform documentation</source>
        <translation>各平台文档</translation>
    </message>
    <message>
        <source>Log files: %1</source>
        <translation>日志文件：%1</translation>
    </message>
</context>
<context>
    <name>AccountCreateBox</name>
    <message>
        <source>Create on my AutoDL account (Pro instance)</source>
        <extracomment>Default CUDA floor: 11.8, what current PyTorch builds need.</extracomment>
        <translation>用我的 AutoDL 账号创建（Pro 实例）</translation>
    </message>
    <message>
        <source>an image id from AutoDL</source>
        <translation>AutoDL 上的镜像 ID</translation>
    </message>
    <message>
        <source>AutoDL&apos;s documentation lists no PyTorch 2.1 image: for 2.1 or newer choose one of your private images, or paste the id of an image from AutoDL&apos;s console.</source>
        <translation>AutoDL 的文档中没有 PyTorch 2.1 镜像：需要 2.1 或更新版本时，请选择你的私有镜像，或粘贴 AutoDL 控制台中某个镜像的 ID。</translation>
    </message>
    <message>
        <source>CUDA %1 or newer</source>
        <translation>CUDA %1 或更高</translation>
    </message>
    <message>
        <source>any (or AutoDL&apos;s data centre id)</source>
        <translation>不限（或填写 AutoDL 的地区 ID）</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>do not wait</source>
        <translation>不等待</translation>
    </message>
    <message>
        <source>AutoDL&apos;s official API controls Pro instances only. The instance is billed from the moment it runs; gpudesk never deletes it (release it in AutoDL&apos;s console when you no longer need it).</source>
        <translation>AutoDL 官方 API 只能管理 Pro 实例。实例一开机就开始计费；gpudesk 不会删除它（不再需要时请在 AutoDL 控制台中释放）。</translation>
    </message>
    <message>
        <source>Stop waiting</source>
        <translation>停止等待</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>镜像：</translation>
    </message>
    <message>
        <source>CUDA floor:</source>
        <translation>最低 CUDA 版本：</translation>
    </message>
    <message>
        <source>Data centre:</source>
        <translation>地区：</translation>
    </message>
    <message>
        <source>Name on AutoDL:</source>
        <translation>在 AutoDL 上的名称：</translation>
    </message>
    <message>
        <source>Wait for a free GPU:</source>
        <translation>等待空闲显卡：</translation>
    </message>
    <message>
        <source>%1 (AutoDL public image)</source>
        <translation>%1（AutoDL 公共镜像）</translation>
    </message>
    <message>
        <source>The instance runs: reading its login…</source>
        <translation>实例已开机：正在读取登录信息…</translation>
    </message>
    <message>
        <source>Asking AutoDL to create the instance…</source>
        <translation>正在请求 AutoDL 创建实例…</translation>
    </message>
    <message>
        <source>Stopped waiting. An instance already created stays in your account.</source>
        <translation>已停止等待。已经创建的实例仍保留在你的账号中。</translation>
    </message>
    <message>
        <source>Created %1: waiting for it to start…</source>
        <translation>已创建 %1：正在等待它开机…</translation>
    </message>
    <message>
        <source>No GPU of this spec is free (暂无库存). Trying again in %1 s (attempt %2; giving up in %3 min).</source>
        <translation>这种规格的显卡暂无库存。%1 秒后重试（第 %2 次；%3 分钟后放弃）。</translation>
    </message>
    <message>
        <source>The instance is %1…</source>
        <translation>实例状态：%1…</translation>
    </message>
</context>
<context>
    <name>AccountInstancePicker</name>
    <message>
        <source>From my AutoDL account</source>
        <translation>来自我的 AutoDL 账号</translation>
    </message>
    <message>
        <source>AutoDL&apos;s official API controls Pro instances only. Choose a running one and press Use this instance: gpudesk reads its login and password from AutoDL. For any other instance, paste its command below.</source>
        <translation>AutoDL 官方 API 只能管理 Pro 实例。选择一台正在运行的实例，点击“使用这台实例”：gpudesk 会从 AutoDL 读取它的登录信息和密码。其他实例请在下方粘贴登录指令。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>¥/h</source>
        <translation>¥/小时</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新读取</translation>
    </message>
    <message>
        <source>Use this instance</source>
        <translation>使用这台实例</translation>
    </message>
    <message>
        <source>Reading your AutoDL instances…</source>
        <translation>正在读取你的 AutoDL 实例…</translation>
    </message>
    <message>
        <source>No Pro instance in this account yet.</source>
        <translation>这个账号还没有 Pro 实例。</translation>
    </message>
    <message>
        <source>Login read from AutoDL for %1.</source>
        <translation>已从 AutoDL 读取 %1 的登录信息。</translation>
    </message>
    <message>
        <source>Reading the login from AutoDL…</source>
        <translation>正在从 AutoDL 读取登录信息…</translation>
    </message>
</context>
<context>
    <name>AccountInstancesView</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>AutoDL&apos;s official API controls Pro instances only; ordinary instances stay on the pasted-command path.</source>
        <translation>AutoDL 官方 API 只能管理 Pro 实例；普通实例请继续使用粘贴登录指令的方式。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>¥/hour</source>
        <translation>¥/小时</translation>
    </message>
    <message>
        <source>Alias</source>
        <translation>别名</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>电源</translation>
    </message>
    <message>
        <source>Loading the account…</source>
        <translation>正在读取账号…</translation>
    </message>
    <message>
        <source>Balance: ¥%1</source>
        <translation>余额：¥%1</translation>
    </message>
    <message>
        <source>Low balance: below ¥%1. Top up before the instance stops.</source>
        <translation>余额不足：低于 ¥%1。请在实例停机前充值。</translation>
    </message>
    <message>
        <source>the instance&apos;s new machine</source>
        <translation>实例所在的新机器</translation>
    </message>
    <message>
        <source>Power on</source>
        <translation>开机</translation>
    </message>
    <message>
        <source>Power off</source>
        <translation>关机</translation>
    </message>
    <message>
        <source>Powering on…</source>
        <translation>正在开机…</translation>
    </message>
    <message>
        <source>Powering off…</source>
        <translation>正在关机…</translation>
    </message>
</context>
<context>
    <name>AccountTab</name>
    <message>
        <source>Connect AutoDL account…</source>
        <translation>连接 AutoDL 账号…</translation>
    </message>
    <message>
        <source>Connect your AutoDL account to see its instances here, with their status, GPU and price, to power them on and off, and to watch the balance. AutoDL&apos;s official API controls Pro instances only.</source>
        <translation>连接你的 AutoDL 账号后，这里会列出账号里的实例及其状态、GPU 和价格，可以开机、关机，并随时看到余额。AutoDL 官方 API 只能控制 Pro 实例。</translation>
    </message>
    <message>
        <source>AutoDL account</source>
        <translation>AutoDL 账号</translation>
    </message>
</context>
<context>
    <name>CatalogView</name>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>SSH</source>
        <translation>SSH</translation>
    </message>
    <message>
        <source>VS Code</source>
        <translation>VS Code</translation>
    </message>
    <message>
        <source>Jupyter</source>
        <translation>Jupyter</translation>
    </message>
    <message>
        <source>Session limit</source>
        <translation>会话时长限制</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>有</translation>
    </message>
    <message>
        <source>No</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Remote-SSH</source>
        <translation>Remote-SSH</translation>
    </message>
    <message>
        <source>In the browser</source>
        <translation>浏览器内</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>免费</translation>
    </message>
    <message>
        <source>Free tier</source>
        <translation>有免费额度</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>付费</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>CheckResultView</name>
    <message>
        <source>PyTorch is not installed in the login shell&apos;s Python.</source>
        <translation>登录 shell 的 Python 中没有安装 PyTorch。</translation>
    </message>
    <message>
        <source>PyTorch could not be queried.</source>
        <translation>无法查询 PyTorch。</translation>
    </message>
    <message>
        <source>nvidia-smi was not found: no NVIDIA GPU, or a GPU-less (无卡) mode.</source>
        <translation>找不到 nvidia-smi：没有 NVIDIA 显卡，或处于无卡模式。</translation>
    </message>
    <message>
        <source>No problems found: the instance matches your choices.</source>
        <translation>没有发现问题：实例与你的选择一致。</translation>
    </message>
    <message>
        <source>newly trusted</source>
        <translation>刚刚信任</translation>
    </message>
    <message>
        <source>matches the trusted key</source>
        <translation>与已信任的密钥一致</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <source>Host key</source>
        <translation>主机密钥</translation>
    </message>
    <message>
        <source>Machine</source>
        <translation>机器</translation>
    </message>
    <message>
        <source>%1 · %2 GiB · %3 % busy</source>
        <translation>%1 · %2 GiB · 占用 %3 %</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Driver / CUDA</source>
        <translation>驱动 / CUDA</translation>
    </message>
    <message>
        <source>driver %1, CUDA %2</source>
        <translation>驱动 %1，CUDA %2</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>sees the GPU</source>
        <translation>能使用显卡</translation>
    </message>
    <message>
        <source>no GPU access</source>
        <translation>无法使用显卡</translation>
    </message>
    <message>
        <source>%1 (built for CUDA %2), %3</source>
        <translation>%1（基于 CUDA %2 构建），%3</translation>
    </message>
    <message>
        <source>PyTorch</source>
        <translation>PyTorch</translation>
    </message>
    <message>
        <source>%1: %2 GiB free of %3 GiB</source>
        <translation>%1：共 %3 GiB，剩余 %2 GiB</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>ConnectAccountDialog</name>
    <message>
        <source>Connect my AutoDL account</source>
        <translation>连接我的 AutoDL 账号</translation>
    </message>
    <message>
        <source>Paste your AutoDL developer token (console: Account → Settings → Developer token). gpudesk checks it with AutoDL, then keeps it only in your system keyring.</source>
        <translation>粘贴你的 AutoDL 开发者令牌（控制台：账号 → 设置 → 开发者Token）。gpudesk 会先向 AutoDL 验证，然后只保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>AutoDL&apos;s official API controls Pro instances only; ordinary instances stay on the pasted-command path.</source>
        <translation>AutoDL 官方 API 只能管理 Pro 实例；普通实例请继续使用粘贴登录指令的方式。</translation>
    </message>
    <message>
        <source>Developer token</source>
        <translation>开发者令牌</translation>
    </message>
    <message>
        <source>Check and connect</source>
        <translation>验证并连接</translation>
    </message>
    <message>
        <source>Checking the token with AutoDL…</source>
        <translation>正在向 AutoDL 验证令牌…</translation>
    </message>
    <message>
        <source>Connected. Balance: ¥%1</source>
        <translation>已连接。余额：¥%1</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>Open the console</source>
        <translation>打开控制台</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例如 %1</translation>
    </message>
    <message>
        <source>the password shown next to the command</source>
        <translation>控制台中登录指令旁边显示的密码</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>在系统钥匙串中记住密码</translation>
    </message>
    <message>
        <source>Remember the password until gpudesk quits (no system keyring found)</source>
        <translation>记住密码直到 gpudesk 退出（未找到系统钥匙串）</translation>
    </message>
    <message>
        <source>SSH command:</source>
        <translation>SSH 登录指令：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Check the instance</source>
        <translation>检查实例</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Connect to your instance</source>
        <translation>连接你的实例</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>your platform</source>
        <translation>你所用的平台</translation>
    </message>
    <message>
        <source>1. Create the instance in the %1 console and wait until it runs.
2. Copy its SSH login command and the password shown next to it.
3. Paste both here and press Check: gpudesk logs in and looks around.</source>
        <translation>1. 在控制台（%1）中创建实例，等待它开机运行。
2. 复制实例的 SSH 登录指令和旁边显示的密码。
3. 粘贴到这里并点击“检查实例”：gpudesk 会登录并查看机器情况。</translation>
    </message>
    <message>
        <source>User %1 on %2, port %3</source>
        <translation>用户 %1，主机 %2，端口 %3</translation>
    </message>
    <message>
        <source>Saved as %1: its key logs in, so no password is needed.</source>
        <translation>已保存为 %1：它的密钥可以登录，不需要密码。</translation>
    </message>
    <message>
        <source>Saved as %1: checking it again updates it.</source>
        <translation>已保存为 %1：再次检查会更新它。</translation>
    </message>
    <message>
        <source>User %1 on %2, port %3 · read from AutoDL (%4)</source>
        <translation>用户 %1，主机 %2，端口 %3 · 读取自 AutoDL（%4）</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Waiting for you to trust the host key…</source>
        <translation>等待你确认信任主机密钥…</translation>
    </message>
    <message>
        <source>Host key trusted: logging in…</source>
        <translation>已信任主机密钥：正在登录…</translation>
    </message>
    <message>
        <source>Trusted key: %1
Key now: %2</source>
        <translation>已信任的密钥：%1
当前的密钥：%2</translation>
    </message>
    <message>
        <source>It is a new instance at this address: forget the old key</source>
        <translation>这是该地址上的新实例：忘记旧密钥</translation>
    </message>
    <message>
        <source>The old key was forgotten. Press Check to trust the new one.</source>
        <translation>已忘记旧密钥。点击“检查实例”来信任新的密钥。</translation>
    </message>
</context>
<context>
    <name>DashboardActions</name>
    <message>
        <source>Copied: %1</source>
        <extracomment>How long a confirmation stays in the status bar (ms).</extracomment>
        <translation>已复制：%1</translation>
    </message>
    <message>
        <source>Opened a terminal: ssh %1</source>
        <translation>已打开终端：ssh %1</translation>
    </message>
    <message>
        <source>Copied the Jupyter URL (it holds the token). In VS Code: Select Kernel &gt; Existing Jupyter Server, then paste.</source>
        <translation>已复制 Jupyter 地址（其中含有令牌）。在 VS Code 中：选择内核 &gt; 现有 Jupyter 服务器，然后粘贴。</translation>
    </message>
    <message>
        <source>Starting Jupyter on the instance…</source>
        <translation>正在实例上启动 Jupyter…</translation>
    </message>
    <message>
        <source>Removed a tunnel to the same service on the instance.</source>
        <translation>已删除一条重复的隧道（它指向实例上的同一个服务）。</translation>
    </message>
    <message>
        <source>%1 now points at %2.</source>
        <translation>%1 现在指向 %2。</translation>
    </message>
    <message>
        <source>Renamed %1 to %2.</source>
        <translation>已将 %1 重命名为 %2。</translation>
    </message>
    <message>
        <source>Removed %1.</source>
        <translation>已删除 %1。</translation>
    </message>
</context>
<context>
    <name>EditorPage</name>
    <message>
        <source>Give the instance a short name. Afterwards &apos;ssh NAME&apos; works in any terminal and VS Code opens the instance&apos;s folder with one click. Nothing is written before you press Next: the preview below shows every file that will change.</source>
        <translation>给实例起一个简短的名字。之后在任何终端里都能用 “ssh 名字” 登录，VS Code 一键打开实例上的文件夹。点击“下一步”之前不会写入任何文件：下面的预览列出了所有将要修改的文件。</translation>
    </message>
    <message>
        <source>Add the alias to my ssh config (~/.ssh/config)</source>
        <translation>把别名加入我的 ssh 配置（~/.ssh/config）</translation>
    </message>
    <message>
        <source>Set up VS Code Remote-SSH for this instance</source>
        <translation>为此实例配置 VS Code Remote-SSH</translation>
    </message>
    <message>
        <source>Open the folder in VS Code when done</source>
        <translation>完成后在 VS Code 中打开文件夹</translation>
    </message>
    <message>
        <source>Create .vscode/sftp.json in a local folder</source>
        <translation>在本地文件夹中创建 .vscode/sftp.json</translation>
    </message>
    <message>
        <source>Your local project folder</source>
        <translation>你的本地项目文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Skip this step: write nothing now</source>
        <translation>跳过这一步：现在不写入任何文件</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Folder on the instance:</source>
        <translation>实例上的文件夹：</translation>
    </message>
    <message>
        <source>What will be written:</source>
        <extracomment>How long after the last keystroke the preview is planned again.</extracomment>
        <translation>将要写入的内容：</translation>
    </message>
    <message>
        <source>Terminal and editor</source>
        <translation>终端和编辑器</translation>
    </message>
    <message>
        <source>Choose the local folder for sftp.json.</source>
        <translation>请选择放置 sftp.json 的本地文件夹。</translation>
    </message>
    <message>
        <source>Working out what would change…</source>
        <translation>正在计算将要修改的内容…</translation>
    </message>
    <message>
        <source>VS Code was not found on this computer.</source>
        <translation>在这台电脑上没有找到 VS Code。</translation>
    </message>
    <message>
        <source>Install it from %1 and add the Remote - SSH extension (%2).</source>
        <translation>请从 %1 安装，并添加 Remote - SSH 扩展（%2）。</translation>
    </message>
    <message>
        <source>Download VS Code</source>
        <translation>下载 VS Code</translation>
    </message>
    <message>
        <source>%1 (removed)</source>
        <translation>%1（已移除）</translation>
    </message>
    <message>
        <source>Skipped: nothing will be written.</source>
        <translation>已跳过：不会写入任何文件。</translation>
    </message>
    <message>
        <source>Nothing to write: everything is in place.</source>
        <translation>无需写入：一切都已就绪。</translation>
    </message>
    <message>
        <source>The check found this folder (%1 GiB free).</source>
        <translation>检查时找到了这个文件夹（剩余 %1 GiB）。</translation>
    </message>
    <message>
        <source>The check did not find this folder; it saw: %1.</source>
        <translation>检查时没有找到这个文件夹；找到的是：%1。</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Copy the command again from the console: it shows the current one.</source>
        <translation>请从控制台重新复制登录指令：控制台显示的是当前有效的指令。</translation>
    </message>
    <message>
        <source>The instance refused the password.</source>
        <translation>实例拒绝了这个密码。</translation>
    </message>
    <message>
        <source>Copy the password again from the console (it changes when an instance is re-created) and check the user name.</source>
        <translation>请从控制台重新复制密码（重新创建实例后密码会变化），并检查用户名。</translation>
    </message>
    <message>
        <source>The instance does not accept this way of logging in.</source>
        <translation>实例不接受这种登录方式。</translation>
    </message>
    <message>
        <source>Use the password the console shows, or a key installed on the instance.</source>
        <translation>请使用控制台显示的密码，或已安装到实例上的密钥。</translation>
    </message>
    <message>
        <source>No password was entered.</source>
        <translation>没有输入密码。</translation>
    </message>
    <message>
        <source>Paste the password the console shows next to the ssh command.</source>
        <translation>请粘贴控制台中 ssh 登录指令旁边显示的密码。</translation>
    </message>
    <message>
        <source>The host name in the command could not be found.</source>
        <translation>找不到登录指令中的主机名。</translation>
    </message>
    <message>
        <source>The instance did not answer in time.</source>
        <translation>实例没有及时响应。</translation>
    </message>
    <message>
        <source>Is the instance running? AutoDL and deepln change host and port when an instance restarts: copy the command again from the console.</source>
        <translation>实例是否在运行？AutoDL 和 deepln 的实例重启后主机和端口会变化：请从控制台重新复制登录指令。</translation>
    </message>
    <message>
        <source>The instance refused the connection.</source>
        <translation>实例拒绝了连接。</translation>
    </message>
    <message>
        <source>Is the instance running? Copy the current command from the console.</source>
        <translation>实例是否在运行？请从控制台复制当前的登录指令。</translation>
    </message>
    <message>
        <source>The address answered, but not as an SSH server.</source>
        <translation>该地址有响应，但不是 SSH 服务器。</translation>
    </message>
    <message>
        <source>Check the port: it must be the SSH port the console shows.</source>
        <translation>请检查端口：必须是控制台显示的 SSH 端口。</translation>
    </message>
    <message>
        <source>The connection dropped during login.</source>
        <translation>登录过程中连接断开了。</translation>
    </message>
    <message>
        <source>Try again; if it keeps happening the instance may be overloaded.</source>
        <translation>请重试；如果一直出现，实例可能负载过高。</translation>
    </message>
    <message>
        <source>The instance&apos;s host key was not trusted, so nothing was sent to it.</source>
        <translation>没有信任实例的主机密钥，因此没有向它发送任何内容。</translation>
    </message>
    <message>
        <source>Check again and trust the key if its fingerprint is the one you expect.</source>
        <translation>请重新检查；如果指纹与预期一致，就信任这个密钥。</translation>
    </message>
    <message>
        <source>The instance&apos;s host key has CHANGED since you trusted it. Nothing was sent.</source>
        <translation>实例的主机密钥与你之前信任的不同（已变化）。没有发送任何内容。</translation>
    </message>
    <message>
        <source>If the platform gave this address to a new instance, forget the old key in gpudesk and check again; otherwise do not connect.</source>
        <translation>如果平台把这个地址分配给了新实例，请在 gpudesk 中忘记旧密钥后重新检查；否则不要连接。</translation>
    </message>
    <message>
        <source>Could not open a session on the instance.</source>
        <translation>无法在实例上打开会话。</translation>
    </message>
    <message>
        <source>The connection may have dropped; try again.</source>
        <translation>连接可能已断开；请重试。</translation>
    </message>
    <message>
        <source>The instance took too long to answer.</source>
        <translation>实例响应时间过长。</translation>
    </message>
    <message>
        <source>The instance may be overloaded; try again.</source>
        <translation>实例可能负载过高；请重试。</translation>
    </message>
    <message>
        <source>The instance&apos;s answer was cut short.</source>
        <translation>实例的回应不完整。</translation>
    </message>
    <message>
        <source>The login shell may exit early: open a terminal on it and check ~/.bashrc.</source>
        <translation>登录 shell 可能提前退出了：请在实例上打开终端检查 ~/.bashrc。</translation>
    </message>
    <message>
        <source>There is already an instance with this name.</source>
        <translation>已经有同名的实例。</translation>
    </message>
    <message>
        <source>Pick another name.</source>
        <translation>请换一个名字。</translation>
    </message>
    <message>
        <source>This name cannot be used.</source>
        <translation>不能使用这个名字。</translation>
    </message>
    <message>
        <source>Use letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, not starting with &apos;-&apos; or &apos;.&apos; (e.g. autodl-4090).</source>
        <translation>请使用字母、数字、“.”、“_”和“-”，且不能以“-”或“.”开头（例如 autodl-4090）。</translation>
    </message>
    <message>
        <source>The file of saved instances is damaged.</source>
        <translation>保存实例的文件已损坏。</translation>
    </message>
    <message>
        <source>Fix it by hand, or restore the copy next to it ending in .gpudesk-bak.</source>
        <translation>请手动修复，或恢复旁边以 .gpudesk-bak 结尾的备份。</translation>
    </message>
    <message>
        <source>No secure system keyring is available.</source>
        <translation>没有可用的安全系统钥匙串。</translation>
    </message>
    <message>
        <source>On Linux install and unlock GNOME Keyring or KWallet; gpudesk never stores passwords in plain text.</source>
        <translation>在 Linux 上请安装并解锁 GNOME Keyring 或 KWallet；gpudesk 从不以明文保存密码。</translation>
    </message>
    <message>
        <source>The system keyring is locked.</source>
        <translation>系统钥匙串已锁定。</translation>
    </message>
    <message>
        <source>Unlock your keyring and try again.</source>
        <translation>请解锁钥匙串后重试。</translation>
    </message>
    <message>
        <source>The system keyring failed.</source>
        <translation>系统钥匙串出错了。</translation>
    </message>
    <message>
        <source>Check that your keyring app is running and unlocked, then try again.</source>
        <translation>请确认钥匙串程序正在运行且已解锁，然后重试。</translation>
    </message>
    <message>
        <source>The settings were written by a newer version of gpudesk.</source>
        <translation>设置文件由更新版本的 gpudesk 写入。</translation>
    </message>
    <message>
        <source>Update gpudesk to change them.</source>
        <translation>请升级 gpudesk 后再修改。</translation>
    </message>
    <message>
        <source>The key in the command is protected by a passphrase.</source>
        <translation>登录指令中的密钥有口令保护。</translation>
    </message>
    <message>
        <source>Remove -i from the command and log in with the password for now.</source>
        <translation>请先从指令中删掉 -i，暂时用密码登录。</translation>
    </message>
    <message>
        <source>The key file in the command cannot be read.</source>
        <translation>无法读取登录指令中的密钥文件。</translation>
    </message>
    <message>
        <source>Check the path after -i, or remove -i and use the password.</source>
        <translation>请检查 -i 后面的路径，或删掉 -i 改用密码。</translation>
    </message>
    <message>
        <source>Paste the ssh command your GPU console shows.</source>
        <translation>请粘贴 GPU 控制台显示的 ssh 登录指令。</translation>
    </message>
    <message>
        <source>That is too long to be an ssh command.</source>
        <translation>内容太长，不像是 ssh 登录指令。</translation>
    </message>
    <message>
        <source>Paste only the one line with the ssh command.</source>
        <translation>只粘贴包含 ssh 登录指令的那一行。</translation>
    </message>
    <message>
        <source>The command contains an invisible or control character.</source>
        <translation>指令中含有不可见字符或控制字符。</translation>
    </message>
    <message>
        <source>The command contains shell syntax (; | &amp; $ &lt; &gt; `): gpudesk only needs the ssh login.</source>
        <translation>指令中含有 shell 语法（; | &amp; $ &lt; &gt; `）：gpudesk 只需要 ssh 登录部分。</translation>
    </message>
    <message>
        <source>The command still contains a &lt;placeholder&gt; from documentation.</source>
        <translation>指令中还留着文档里的 &lt;占位符&gt;。</translation>
    </message>
    <message>
        <source>This does not look like an ssh command.</source>
        <translation>这看起来不像 ssh 登录指令。</translation>
    </message>
    <message>
        <source>The quotes in the command do not match.</source>
        <translation>指令中的引号不成对。</translation>
    </message>
    <message>
        <source>The command has no host to log in to.</source>
        <translation>指令中没有要登录的主机。</translation>
    </message>
    <message>
        <source>The command does not say which user to log in as.</source>
        <translation>指令中没有指明登录用户。</translation>
    </message>
    <message>
        <source>An option in the command lacks its value.</source>
        <translation>指令中有个选项缺少取值。</translation>
    </message>
    <message>
        <source>The command has an option gpudesk does not understand.</source>
        <translation>指令中有 gpudesk 无法识别的选项。</translation>
    </message>
    <message>
        <source>The command has an option that could run programs on your computer.</source>
        <translation>指令中有可能在你电脑上运行程序的选项。</translation>
    </message>
    <message>
        <source>The command goes through a jump host; GPU consoles never ask for one.</source>
        <translation>指令要经过跳板机；GPU 控制台从不要求这样做。</translation>
    </message>
    <message>
        <source>The command opens a port back to your computer (-R).</source>
        <translation>指令会打开一个连回你电脑的端口（-R）。</translation>
    </message>
    <message>
        <source>The command starts a SOCKS proxy (-D).</source>
        <translation>指令会启动 SOCKS 代理（-D）。</translation>
    </message>
    <message>
        <source>The command forwards your agent or display to the rented machine.</source>
        <translation>指令会把你的 ssh-agent 或图形界面转发到租用的机器上。</translation>
    </message>
    <message>
        <source>A -L tunnel must listen on 127.0.0.1 only.</source>
        <translation>-L 隧道只能监听 127.0.0.1。</translation>
    </message>
    <message>
        <source>A -L tunnel in the command is malformed.</source>
        <translation>指令中的 -L 隧道格式不对。</translation>
    </message>
    <message>
        <source>The command runs something after logging in.</source>
        <translation>指令会在登录后运行其他命令。</translation>
    </message>
    <message>
        <source>The ssh:// address is malformed.</source>
        <translation>ssh:// 地址格式不对。</translation>
    </message>
    <message>
        <source>The port in the command is not a valid port number.</source>
        <translation>指令中的端口不是有效的端口号。</translation>
    </message>
    <message>
        <source>The host name in the command is not valid.</source>
        <translation>指令中的主机名无效。</translation>
    </message>
    <message>
        <source>Write the port with -p, not after the host.</source>
        <translation>请用 -p 指定端口，不要写在主机名后面。</translation>
    </message>
    <message>
        <source>The user name in the command is not valid.</source>
        <translation>指令中的用户名无效。</translation>
    </message>
    <message>
        <source>The key path after -i is not valid.</source>
        <translation>-i 后面的密钥路径无效。</translation>
    </message>
    <message>
        <source>The command gives the same setting twice with different values.</source>
        <translation>指令对同一设置给了两个不同的值。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>出错了。</translation>
    </message>
    <message>
        <source>The details are in the log file (Help &gt; About shows where it is).</source>
        <translation>详细信息在日志文件中（“帮助 &gt; 关于”里显示了日志位置）。</translation>
    </message>
    <message>
        <source>Paste the ssh line your GPU console shows.</source>
        <translation>请粘贴 GPU 控制台显示的 ssh 那一行。</translation>
    </message>
    <message>
        <source>gpudesk</source>
        <translation>gpudesk</translation>
    </message>
    <message>
        <source>The instance printed far too much in answer to one command; gpudesk stopped reading.</source>
        <translation>实例对一条命令输出的内容过多，gpudesk 已停止读取。</translation>
    </message>
    <message>
        <source>Something on the instance floods its output (a broken nvidia-smi or a login script): open a terminal on it and check.</source>
        <translation>实例上有程序在大量刷屏输出（可能是出故障的 nvidia-smi 或登录脚本）：请在实例上打开终端检查。</translation>
    </message>
    <message>
        <source>This file is not a private key, so gpudesk leaves it alone.</source>
        <translation>这个文件不是私钥，gpudesk 不会改动它。</translation>
    </message>
    <message>
        <source>Choose the private key file (not the one ending in .pub).</source>
        <translation>请选择私钥文件（不是以 .pub 结尾的那个）。</translation>
    </message>
    <message>
        <source>A lock file next to this file is a link, so gpudesk does not write through it.</source>
        <translation>这个文件旁边的锁文件是一个链接，gpudesk 不会通过它写入。</translation>
    </message>
    <message>
        <source>Remove the .lock link next to the file, then try again.</source>
        <translation>删除文件旁边的 .lock 链接后再试一次。</translation>
    </message>
    <message>
        <source>The platform rejected the API token.</source>
        <translation>平台拒绝了这个 API 令牌。</translation>
    </message>
    <message>
        <source>Copy the developer token again from the console (账号 → 设置 → 开发者Token) and connect the account again.</source>
        <translation>请在控制台（账号 → 设置 → 开发者Token）重新复制开发者令牌，然后重新连接账号。</translation>
    </message>
    <message>
        <source>The platform&apos;s API could not be reached.</source>
        <translation>无法连接平台的 API。</translation>
    </message>
    <message>
        <source>Check your network or proxy, and the platform&apos;s status page; then try again.</source>
        <translation>请检查网络或代理设置以及平台的状态页面，然后重试。</translation>
    </message>
    <message>
        <source>The platform has no free GPU for this instance right now (暂无库存).</source>
        <translation>平台目前没有可用于该实例的空闲 GPU（暂无库存）。</translation>
    </message>
    <message>
        <source>Try again later, or let gpudesk keep trying until a GPU is free.</source>
        <translation>请稍后再试，或让 gpudesk 持续重试直到有空闲 GPU。</translation>
    </message>
    <message>
        <source>The platform needs the account&apos;s real-name verification first.</source>
        <translation>平台要求账号先完成实名认证。</translation>
    </message>
    <message>
        <source>Finish real-name verification (实名认证) in the platform&apos;s console, then retry.</source>
        <translation>请在平台控制台完成实名认证后重试。</translation>
    </message>
    <message>
        <source>The platform refused: the account&apos;s balance is too low.</source>
        <translation>平台拒绝了请求：账号余额不足。</translation>
    </message>
    <message>
        <source>Top up the account in the platform&apos;s console, then retry.</source>
        <translation>请在平台控制台充值后重试。</translation>
    </message>
    <message>
        <source>The platform refused the request.</source>
        <translation>平台拒绝了该请求。</translation>
    </message>
    <message>
        <source>Check the instance in the platform&apos;s console; the details show the platform&apos;s own message.</source>
        <translation>请在平台控制台查看该实例；详细信息中有平台给出的原始提示。</translation>
    </message>
    <message>
        <source>The platform knows no such instance in this account.</source>
        <translation>该账号下没有这个实例。</translation>
    </message>
    <message>
        <source>AutoDL&apos;s official API reaches Pro instances only; ordinary instances stay on the pasted-command path.</source>
        <translation>AutoDL 官方 API 只能管理 Pro 实例；普通实例请继续使用粘贴登录指令的方式。</translation>
    </message>
    <message>
        <source>The platform&apos;s API gave an answer gpudesk cannot read.</source>
        <translation>平台 API 返回了 gpudesk 无法识别的内容。</translation>
    </message>
    <message>
        <source>Try again later; if it persists, the platform may have changed its API.</source>
        <translation>请稍后重试；如果一直出现，可能是平台修改了 API。</translation>
    </message>
    <message>
        <source>The platform&apos;s documented API does not offer this.</source>
        <translation>平台公开的 API 不提供这项操作。</translation>
    </message>
    <message>
        <source>Do it in the platform&apos;s console.</source>
        <translation>请在平台控制台中操作。</translation>
    </message>
    <message>
        <source>The instance is not running, so it has no SSH address now.</source>
        <translation>实例未在运行，目前没有 SSH 地址。</translation>
    </message>
    <message>
        <source>Power it on first.</source>
        <translation>请先开机。</translation>
    </message>
    <message>
        <source>No account of this platform is connected to gpudesk.</source>
        <translation>gpudesk 尚未连接该平台的账号。</translation>
    </message>
    <message>
        <source>Connect the account first with its developer token.</source>
        <translation>请先用开发者令牌连接账号。</translation>
    </message>
    <message>
        <source>This instance was set up from a pasted command, not from a platform account.</source>
        <translation>该实例是通过粘贴登录指令添加的，不是从平台账号添加的。</translation>
    </message>
    <message>
        <source>Set it up again from the account&apos;s instance list to power it on and off from gpudesk.</source>
        <translation>请从账号的实例列表重新添加，即可在 gpudesk 中开关机。</translation>
    </message>
    <message>
        <source>The instance stopped again while it was starting.</source>
        <translation>实例在启动过程中又停止了。</translation>
    </message>
    <message>
        <source>Look at the instance in the platform&apos;s console, then power it on again.</source>
        <translation>请在平台控制台查看该实例，然后重新开机。</translation>
    </message>
    <message>
        <source>The instance was not running in time.</source>
        <translation>实例未能在规定时间内进入运行状态。</translation>
    </message>
    <message>
        <source>Look at the instance in the platform&apos;s console; power it on again later.</source>
        <translation>请在平台控制台查看该实例，稍后再开机。</translation>
    </message>
    <message>
        <source>No token was entered.</source>
        <translation>没有输入令牌。</translation>
    </message>
    <message>
        <source>Paste the developer token from the platform&apos;s console.</source>
        <translation>请粘贴平台控制台中的开发者令牌。</translation>
    </message>
    <message>
        <source>gpudesk does not know this platform.</source>
        <translation>gpudesk 不认识这个平台。</translation>
    </message>
    <message>
        <source>Choose AutoDL or 潞晨云.</source>
        <translation>请选择 AutoDL 或潞晨云。</translation>
    </message>
    <message>
        <source>That does not name a platform instance.</source>
        <translation>这不是一个平台实例的标识。</translation>
    </message>
    <message>
        <source>Write it as autodl:INSTANCE_ID.</source>
        <translation>请写成 autodl:实例ID 的形式。</translation>
    </message>
    <message>
        <source>潞晨云 accounts log in with a user name and a password.</source>
        <translation>潞晨云账号需要用户名和密码登录。</translation>
    </message>
    <message>
        <source>Enter the user name too.</source>
        <translation>请同时填写用户名。</translation>
    </message>
    <message>
        <source>The waiting time for a GPU is out of range.</source>
        <translation>等待 GPU 的时间超出范围。</translation>
    </message>
    <message>
        <source>Give a number of minutes, for example 30.</source>
        <translation>请填写分钟数，例如 30。</translation>
    </message>
    <message>
        <source>The GPU count or CUDA version is out of range.</source>
        <translation>GPU 数量或 CUDA 版本超出范围。</translation>
    </message>
    <message>
        <source>Use 1 to 4 GPUs and a CUDA version such as 118 (CUDA 11.8).</source>
        <translation>GPU 数量为 1 到 4，CUDA 版本写成 118（即 CUDA 11.8）这样的形式。</translation>
    </message>
    <message>
        <source>Releasing an instance deletes it and all data on it.</source>
        <translation>释放实例会删除实例及其中的全部数据。</translation>
    </message>
    <message>
        <source>Confirm explicitly if that is what you want.</source>
        <translation>如果确实要这样做，请明确确认。</translation>
    </message>
    <message>
        <source>Only a powered-off instance can be released.</source>
        <translation>只有已关机的实例才能释放。</translation>
    </message>
    <message>
        <source>Power it off first.</source>
        <translation>请先关机。</translation>
    </message>
    <message>
        <source>The saved platform accounts cannot be read.</source>
        <translation>无法读取已保存的平台账号。</translation>
    </message>
    <message>
        <source>Fix the file by hand, or restore the copy next to it ending in .gpudesk-bak.</source>
        <translation>请手动修复该文件，或用旁边以 .gpudesk-bak 结尾的备份恢复。</translation>
    </message>
    <message>
        <source>The instance has no key and no password was given for its new address.</source>
        <translation>该实例没有密钥，也没有提供新地址的密码。</translation>
    </message>
    <message>
        <source>Give the password the console shows for the instance.</source>
        <translation>请填写控制台显示的实例密码。</translation>
    </message>
    <message>
        <source>The login left no host key to pin.</source>
        <translation>登录后没有得到可固定的主机密钥。</translation>
    </message>
    <message>
        <source>Try again.</source>
        <translation>请重试。</translation>
    </message>
    <message>
        <source>A rule of the guard cannot be used.</source>
        <translation>守护程序的某条规则无法使用。</translation>
    </message>
    <message>
        <source>Use positive numbers, a process that is running on the instance, and a time like 23:30.</source>
        <translation>请使用正数、实例上正在运行的进程，以及形如 23:30 的时间。</translation>
    </message>
    <message>
        <source>The guard did not start on the instance.</source>
        <translation>守护程序没能在实例上启动。</translation>
    </message>
    <message>
        <source>Check that the home folder on the instance is writable and not full, then try again.</source>
        <translation>请确认实例上的主目录可写且磁盘未满，然后重试。</translation>
    </message>
    <message>
        <source>No guard is running on this instance.</source>
        <translation>这个实例上没有正在运行的守护程序。</translation>
    </message>
    <message>
        <source>Arm the guard first.</source>
        <translation>请先启用守护程序。</translation>
    </message>
    <message>
        <source>Run the transfer again: finished files are kept and a big file resumes where it stopped.</source>
        <translation>请重新运行传输：已完成的文件会保留，大文件会从中断处继续。</translation>
    </message>
    <message>
        <source>The local file or folder does not exist.</source>
        <translation>本地文件或文件夹不存在。</translation>
    </message>
    <message>
        <source>Check the path you want to send.</source>
        <translation>请检查要上传的路径。</translation>
    </message>
    <message>
        <source>The file or folder does not exist on the instance.</source>
        <translation>实例上不存在该文件或文件夹。</translation>
    </message>
    <message>
        <source>Check the remote path; relative paths start in the instance&apos;s work folder.</source>
        <translation>请检查远程路径；相对路径从实例的工作目录开始。</translation>
    </message>
    <message>
        <source>The remote path cannot be used.</source>
        <translation>无法使用这个远程路径。</translation>
    </message>
    <message>
        <source>Name the file or folder on the instance without control characters, e.g. checkpoints.</source>
        <translation>请写出实例上的文件或文件夹名，不要包含控制字符，例如 checkpoints。</translation>
    </message>
    <message>
        <source>The destination exists and is not a folder.</source>
        <translation>目标位置已存在，但不是文件夹。</translation>
    </message>
    <message>
        <source>Choose a folder to copy into.</source>
        <translation>请选择一个要复制到的文件夹。</translation>
    </message>
    <message>
        <source>The instance refused to write there: permission denied.</source>
        <translation>实例拒绝在该位置写入：权限不足。</translation>
    </message>
    <message>
        <source>Choose a folder the login user may write to, or fix its permissions.</source>
        <translation>请选择登录用户有写权限的文件夹，或修改该文件夹的权限。</translation>
    </message>
    <message>
        <source>The disk on the instance is full.</source>
        <translation>实例的磁盘已满。</translation>
    </message>
    <message>
        <source>Free some space on the instance, then run the transfer again: it resumes.</source>
        <translation>请先在实例上清理出一些空间，再重新运行传输，会从中断处继续。</translation>
    </message>
    <message>
        <source>The instance could not write a file.</source>
        <translation>实例无法写入文件。</translation>
    </message>
    <message>
        <source>The disk on the instance may be full: check with df -h and free some space.</source>
        <translation>实例的磁盘可能已满：请用 df -h 查看并清理空间。</translation>
    </message>
    <message>
        <source>The instance could not complete a file operation.</source>
        <translation>实例未能完成一项文件操作。</translation>
    </message>
    <message>
        <source>Try again; if it keeps failing, check the path and the disk on the instance.</source>
        <translation>请重试；如果仍然失败，请检查路径和实例上的磁盘。</translation>
    </message>
    <message>
        <source>A file disappeared from the instance during the transfer.</source>
        <translation>传输过程中，实例上的某个文件不见了。</translation>
    </message>
    <message>
        <source>Another program may have moved or removed it; check the path.</source>
        <translation>可能有其他程序移动或删除了它；请检查路径。</translation>
    </message>
    <message>
        <source>The connection to the instance was lost during the transfer.</source>
        <translation>传输过程中与实例的连接断开了。</translation>
    </message>
    <message>
        <source>A file changed while it was being copied.</source>
        <translation>某个文件在复制过程中发生了变化。</translation>
    </message>
    <message>
        <source>Run the transfer again when the file is no longer being written.</source>
        <translation>请等该文件不再被写入后，再重新运行传输。</translation>
    </message>
    <message>
        <source>A copied file did not have the expected size.</source>
        <translation>复制后的文件大小与预期不符。</translation>
    </message>
    <message>
        <source>Run the transfer again; it copies that file afresh.</source>
        <translation>请重新运行传输，该文件会重新复制。</translation>
    </message>
    <message>
        <source>A local file could not be read or written.</source>
        <translation>无法读取或写入本地文件。</translation>
    </message>
    <message>
        <source>Check the local folder&apos;s permissions and free space.</source>
        <translation>请检查本地文件夹的权限和剩余空间。</translation>
    </message>
    <message>
        <source>The instance could not compute file checksums.</source>
        <translation>实例无法计算文件校验和。</translation>
    </message>
    <message>
        <source>Check that sha256sum works on the instance, or transfer without checksums.</source>
        <translation>请确认实例上的 sha256sum 可用，或不使用校验和进行传输。</translation>
    </message>
    <message>
        <source>The folder holds too many files or too deep a tree.</source>
        <translation>该文件夹中的文件太多，或目录层级太深。</translation>
    </message>
    <message>
        <source>Transfer a smaller folder, or exclude the big parts.</source>
        <translation>请传输更小的文件夹，或排除其中较大的部分。</translation>
    </message>
    <message>
        <source>The instance listed its files in a form gpudesk cannot trust.</source>
        <translation>实例返回的文件列表格式异常，gpudesk 无法信任。</translation>
    </message>
    <message>
        <source>Something on the instance answers in place of the find command; check it there. Nothing was changed.</source>
        <translation>实例上有程序冒充了 find 命令，请在实例上检查。没有改动任何文件。</translation>
    </message>
    <message>
        <source>The instance sent files in a form gpudesk cannot trust.</source>
        <translation>实例发来的文件格式异常，gpudesk 无法信任。</translation>
    </message>
    <message>
        <source>Something on the instance answers in place of the tar command; check it there. Files already fetched are whole; the others were not written.</source>
        <translation>实例上有程序冒充了 tar 命令，请在实例上检查。已取回的文件是完整的，其余文件没有写入。</translation>
    </message>
    <message>
        <source>This is not a TCP port.</source>
        <translation>这不是有效的 TCP 端口。</translation>
    </message>
    <message>
        <source>Use 1 to 65535, or 0 for any free one.</source>
        <translation>请使用 1 到 65535，或填 0 自动选择空闲端口。</translation>
    </message>
    <message>
        <source>--passphrase-stdin was given but standard input held no passphrase.</source>
        <translation>指定了 --passphrase-stdin，但标准输入中没有口令。</translation>
    </message>
    <message>
        <source>Pipe the passphrase in, or leave the option out for a key without one.</source>
        <translation>请通过管道传入口令；如果密钥不需要口令，请去掉这个选项。</translation>
    </message>
    <message>
        <source>--password-stdin was given but standard input held no password.</source>
        <translation>指定了 --password-stdin，但标准输入中没有密码。</translation>
    </message>
    <message>
        <source>Pipe the password in.</source>
        <translation>请通过管道传入密码。</translation>
    </message>
    <message>
        <source>No password or key was given and there is no terminal to ask on.</source>
        <translation>没有提供密码或密钥，也没有可以询问的终端。</translation>
    </message>
    <message>
        <source>Use --password-stdin (and pipe the password) or --identity KEY.</source>
        <translation>请使用 --password-stdin（并通过管道传入密码）或 --identity KEY。</translation>
    </message>
    <message>
        <source>Installing a key needs the instance&apos;s password, and there is no terminal to ask on.</source>
        <translation>安装密钥需要实例的密码，但没有可以询问的终端。</translation>
    </message>
    <message>
        <source>Use --password-stdin and pipe the password in.</source>
        <translation>请使用 --password-stdin 并通过管道传入密码。</translation>
    </message>
    <message>
        <source>There is no terminal to ask on.</source>
        <translation>没有可以询问的终端。</translation>
    </message>
    <message>
        <source>Use --passphrase-stdin.</source>
        <translation>请使用 --passphrase-stdin。</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>Type the same passphrase twice.</source>
        <translation>请输入两次相同的口令。</translation>
    </message>
    <message>
        <source>This is the last step of the wizard.</source>
        <translation>这已经是向导的最后一步。</translation>
    </message>
    <message>
        <source>Press Finish.</source>
        <translation>请点击“完成”。</translation>
    </message>
    <message>
        <source>This is the first step of the wizard.</source>
        <translation>这已经是向导的第一步。</translation>
    </message>
    <message>
        <source>Press Next to go on.</source>
        <translation>请点击“下一步”继续。</translation>
    </message>
    <message>
        <source>This step needs more information first.</source>
        <translation>这一步还需要先填写一些信息。</translation>
    </message>
    <message>
        <source>Complete the current page before going on.</source>
        <translation>请先完成当前页面再继续。</translation>
    </message>
    <message>
        <source>The shortcut starts at the platform step.</source>
        <translation>这个快捷方式只能从选择平台这一步开始。</translation>
    </message>
    <message>
        <source>Go back to the first step, then use the shortcut.</source>
        <translation>请回到第一步，再使用这个快捷方式。</translation>
    </message>
    <message>
        <source>The wizard cannot start without its first page.</source>
        <translation>向导缺少第一页，无法开始。</translation>
    </message>
    <message>
        <source>This is a bug in gpudesk: please report it.</source>
        <translation>这是 gpudesk 的缺陷，请反馈给我们。</translation>
    </message>
    <message>
        <source>gpudesk refused to save a secret with the wizard&apos;s progress.</source>
        <translation>gpudesk 拒绝把机密信息和向导进度一起保存。</translation>
    </message>
    <message>
        <source>gpudesk could not change its start-at-login entry.</source>
        <translation>gpudesk 无法修改它的开机启动项。</translation>
    </message>
    <message>
        <source>Check the permissions there, or turn the setting off and on again.</source>
        <translation>请检查那里的权限，或把这项设置关掉再打开。</translation>
    </message>
    <message>
        <source>Two platform entries have the same id.</source>
        <translation>有两个平台条目的标识相同。</translation>
    </message>
    <message>
        <source>Give every platform file a unique id.</source>
        <translation>请让每个平台文件使用不同的标识。</translation>
    </message>
    <message>
        <source>No platform files were found.</source>
        <translation>找不到任何平台数据文件。</translation>
    </message>
    <message>
        <source>Reinstall gpudesk.</source>
        <translation>请重新安装 gpudesk。</translation>
    </message>
    <message>
        <source>This platform is not known to gpudesk.</source>
        <translation>gpudesk 不认识这个平台。</translation>
    </message>
    <message>
        <source>Choose one of the platforms in the list.</source>
        <translation>请从列表中选择一个平台。</translation>
    </message>
    <message>
        <source>The file changed on disk after gpudesk showed what it would write.</source>
        <translation>在 gpudesk 给出预览之后，这个文件在磁盘上被改动了。</translation>
    </message>
    <message>
        <source>Look at the preview again, then retry.</source>
        <translation>请重新查看预览，然后再试一次。</translation>
    </message>
    <message>
        <source>The folder does not exist.</source>
        <translation>这个文件夹不存在。</translation>
    </message>
    <message>
        <source>Create it first, or check the path.</source>
        <translation>请先创建它，或检查路径是否正确。</translation>
    </message>
    <message>
        <source>The folder is read-only, so the file cannot be replaced safely.</source>
        <translation>文件夹是只读的，无法安全地替换其中的文件。</translation>
    </message>
    <message>
        <source>Make the folder writable, or edit the file by hand.</source>
        <translation>请让该文件夹可写，或手动编辑这个文件。</translation>
    </message>
    <message>
        <source>Another program is still changing this file.</source>
        <translation>另一个程序正在修改这个文件。</translation>
    </message>
    <message>
        <source>Wait a moment and try again; close other gpudesk windows if it persists.</source>
        <translation>请稍等片刻再试；如果一直如此，请关闭其他 gpudesk 窗口。</translation>
    </message>
    <message>
        <source>The path is not a regular file.</source>
        <translation>该路径不是普通文件。</translation>
    </message>
    <message>
        <source>Move whatever is at that path aside, then try again.</source>
        <translation>请把该路径上的东西移走，然后再试一次。</translation>
    </message>
    <message>
        <source>The file is read-only; gpudesk leaves read-only files alone.</source>
        <translation>文件是只读的，gpudesk 不会修改只读文件。</translation>
    </message>
    <message>
        <source>Make it writable, or make the change by hand.</source>
        <translation>请让它可写，或手动进行修改。</translation>
    </message>
    <message>
        <source>The file is a symbolic link; gpudesk does not edit through links.</source>
        <translation>这个文件是符号链接，gpudesk 不会通过链接修改文件。</translation>
    </message>
    <message>
        <source>Edit it by hand, or replace the link with a file.</source>
        <translation>请手动编辑，或用普通文件替换这个链接。</translation>
    </message>
    <message>
        <source>The file could not be read.</source>
        <translation>无法读取这个文件。</translation>
    </message>
    <message>
        <source>Check that the file exists and that your user may read it.</source>
        <translation>请确认文件存在，并且当前用户有读取权限。</translation>
    </message>
    <message>
        <source>The file could not be written.</source>
        <translation>无法写入这个文件。</translation>
    </message>
    <message>
        <source>Check free disk space and that your user may write to that folder.</source>
        <translation>请检查磁盘剩余空间，以及当前用户是否有该文件夹的写入权限。</translation>
    </message>
    <message>
        <source>The model size is not a positive number of billions.</source>
        <translation>模型大小不是一个正的“十亿”数。</translation>
    </message>
    <message>
        <source>Enter the parameter count in billions, e.g. 7 for a 7B model.</source>
        <translation>请以十亿为单位输入参数量，例如 7B 模型填 7。</translation>
    </message>
    <message>
        <source>The instance&apos;s host key name cannot be used.</source>
        <translation>该实例的主机密钥名称无法使用。</translation>
    </message>
    <message>
        <source>The instance changed since the list was shown.</source>
        <translation>在显示清单之后，这个实例已被修改。</translation>
    </message>
    <message>
        <source>Open the list again and check what will be removed.</source>
        <translation>请重新打开清单，确认将要删除的内容。</translation>
    </message>
    <message>
        <source>Another instance already uses this host key name.</source>
        <translation>另一个实例已经在使用这个主机密钥名称。</translation>
    </message>
    <message>
        <source>There is no instance with this name.</source>
        <translation>没有叫这个名字的实例。</translation>
    </message>
    <message>
        <source>Check the name in gpudesk&apos;s window; save an instance there or with gpudesk setup.</source>
        <translation>请在 gpudesk 窗口中核对名称；可以在窗口里或用 gpudesk setup 保存实例。</translation>
    </message>
    <message>
        <source>gpudesk refused to save a secret in the instance file.</source>
        <translation>gpudesk 拒绝把机密信息写进实例文件。</translation>
    </message>
    <message>
        <source>Leave passwords and tokens out: gpudesk keeps them in the keyring.</source>
        <translation>密码和令牌不要写在这里：gpudesk 会把它们保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>The saved instances were written by a newer version of gpudesk; this version will not change them.</source>
        <translation>已保存的实例由更新版本的 gpudesk 写入，当前版本不会修改它们。</translation>
    </message>
    <message>
        <source>Update gpudesk to change your saved instances.</source>
        <translation>请升级 gpudesk 后再修改已保存的实例。</translation>
    </message>
    <message>
        <source>A data file of gpudesk has a wrong field.</source>
        <translation>gpudesk 的一个数据文件里有字段不正确。</translation>
    </message>
    <message>
        <source>A data file of gpudesk is not valid JSON.</source>
        <translation>gpudesk 的一个数据文件不是有效的 JSON。</translation>
    </message>
    <message>
        <source>A data file of gpudesk lacks a required field.</source>
        <translation>gpudesk 的一个数据文件缺少必需的字段。</translation>
    </message>
    <message>
        <source>A data file of gpudesk cannot be read.</source>
        <translation>无法读取 gpudesk 的一个数据文件。</translation>
    </message>
    <message>
        <source>A secret needs a name without spaces or control characters.</source>
        <translation>机密信息的名称不能包含空格或控制字符。</translation>
    </message>
    <message>
        <source>A secret must be text.</source>
        <translation>机密信息必须是文本。</translation>
    </message>
    <message>
        <source>Type or paste it again as text.</source>
        <translation>请重新以文本形式输入或粘贴。</translation>
    </message>
    <message>
        <source>That secret is too long to keep in the keyring.</source>
        <translation>这条机密信息太长，钥匙串放不下。</translation>
    </message>
    <message>
        <source>Use a shorter password or token (Windows Credential Manager cannot hold more).</source>
        <translation>请使用更短的密码或令牌（Windows 凭据管理器存不下更长的内容）。</translation>
    </message>
    <message>
        <source>Some settings are out of range.</source>
        <translation>有些设置超出了允许范围。</translation>
    </message>
    <message>
        <source>Correct the values and save again.</source>
        <translation>请改正这些值后再保存。</translation>
    </message>
    <message>
        <source>The app state cannot be saved.</source>
        <translation>无法保存程序状态。</translation>
    </message>
    <message>
        <source>gpudesk has no ssh alias for this instance, so VS Code could not connect to it.</source>
        <translation>gpudesk 中没有这个实例的 ssh 别名，VS Code 无法连接。</translation>
    </message>
    <message>
        <source>Finish the set-up of this instance in gpudesk first (it writes the alias).</source>
        <translation>请先在 gpudesk 中完成这个实例的设置（会写入别名）。</translation>
    </message>
    <message>
        <source>This is not a folder.</source>
        <translation>这不是一个文件夹。</translation>
    </message>
    <message>
        <source>Choose your local project folder.</source>
        <translation>请选择本地的项目文件夹。</translation>
    </message>
    <message>
        <source>sftp.json is not strict JSON; gpudesk left it untouched.</source>
        <translation>sftp.json 不是严格的 JSON，gpudesk 没有改动它。</translation>
    </message>
    <message>
        <source>The SFTP extension does not accept comments either: fix or move the file.</source>
        <translation>SFTP 插件也不接受注释：请修正或移走这个文件。</translation>
    </message>
    <message>
        <source>sftp.json holds neither a config object nor a list of them.</source>
        <translation>sftp.json 里既不是配置对象，也不是配置列表。</translation>
    </message>
    <message>
        <source>Move the file aside and try again.</source>
        <translation>请把这个文件移走后再试。</translation>
    </message>
    <message>
        <source>Your ~/.ssh/config already has its own Host with this name.</source>
        <translation>你的 ~/.ssh/config 里已经有一个同名的 Host。</translation>
    </message>
    <message>
        <source>Pick another alias, or delete that Host block first.</source>
        <translation>请换一个别名，或先删除那个 Host 段落。</translation>
    </message>
    <message>
        <source>This ssh alias already belongs to another instance.</source>
        <translation>这个 ssh 别名已经属于另一个实例。</translation>
    </message>
    <message>
        <source>Pick another alias, or remove the other instance first.</source>
        <translation>请换一个别名，或先删除另一个实例。</translation>
    </message>
    <message>
        <source>This path cannot go into an ssh config.</source>
        <translation>这个路径不能写进 ssh 配置。</translation>
    </message>
    <message>
        <source>Use an absolute path without quotes, backslashes, &apos;%&apos; or &apos;$&apos; characters.</source>
        <translation>请使用绝对路径，不要包含引号、反斜杠、“%”或“$”。</translation>
    </message>
    <message>
        <source>A value for the ssh config is out of range.</source>
        <translation>ssh 配置中的一个值超出了范围。</translation>
    </message>
    <message>
        <source>~/.ssh/config starts with a byte order mark (BOM), so OpenSSH refuses to read it at all.</source>
        <translation>~/.ssh/config 以字节顺序标记（BOM）开头，OpenSSH 会完全拒绝读取。</translation>
    </message>
    <message>
        <source>Save it as UTF-8 without BOM (e.g. in Notepad: Save as, Encoding &apos;UTF-8&apos;), then try again.</source>
        <translation>请另存为不带 BOM 的 UTF-8（例如在记事本中“另存为”，编码选“UTF-8”），然后再试。</translation>
    </message>
    <message>
        <source>gpudesk has no ssh alias with this name.</source>
        <translation>gpudesk 中没有这个名称的 ssh 别名。</translation>
    </message>
    <message>
        <source>Run gpudesk ssh-config list to see gpudesk&apos;s aliases.</source>
        <translation>运行 gpudesk ssh-config list 可以查看 gpudesk 的别名。</translation>
    </message>
    <message>
        <source>This folder cannot be opened in VS Code by gpudesk.</source>
        <translation>gpudesk 无法在 VS Code 中打开这个文件夹。</translation>
    </message>
    <message>
        <source>Use an absolute folder such as /root/autodl-tmp, with letters, digits and / . _ - only (no spaces or quotes).</source>
        <translation>请使用绝对路径，例如 /root/autodl-tmp，只包含字母、数字和 / . _ -（不要有空格或引号）。</translation>
    </message>
    <message>
        <source>VS Code could not open the instance.</source>
        <translation>VS Code 无法打开这个实例。</translation>
    </message>
    <message>
        <source>Install the Remote - SSH extension (ms-vscode-remote.remote-ssh) and try again.</source>
        <translation>请安装 Remote - SSH 扩展（ms-vscode-remote.remote-ssh）后再试。</translation>
    </message>
    <message>
        <source>VS Code was not found.</source>
        <translation>没有找到 VS Code。</translation>
    </message>
    <message>
        <source>Install it from https://code.visualstudio.com/download, add the Remote - SSH extension, then try again.</source>
        <translation>请从 https://code.visualstudio.com/download 安装，并添加 Remote - SSH 扩展，然后再试。</translation>
    </message>
    <message>
        <source>VS Code&apos;s settings.json is not valid JSON with comments; gpudesk left it untouched.</source>
        <translation>VS Code 的 settings.json 不是有效的带注释 JSON，gpudesk 没有改动它。</translation>
    </message>
    <message>
        <source>Fix it in VS Code, then try again.</source>
        <translation>请在 VS Code 中修正后再试。</translation>
    </message>
    <message>
        <source>Unknown Jupyter command.</source>
        <translation>未知的 Jupyter 命令。</translation>
    </message>
    <message>
        <source>Use jupyter lab or jupyter notebook.</source>
        <translation>请使用 jupyter lab 或 jupyter notebook。</translation>
    </message>
    <message>
        <source>Jupyter is not installed on the instance.</source>
        <translation>实例上没有安装 Jupyter。</translation>
    </message>
    <message>
        <source>Install it on the instance: pip install jupyterlab</source>
        <translation>请在实例上安装：pip install jupyterlab</translation>
    </message>
    <message>
        <source>The instance has no python3 or python.</source>
        <translation>实例上没有 python3 或 python。</translation>
    </message>
    <message>
        <source>Choose an image with Python, or install Python on the instance.</source>
        <translation>请选择带 Python 的镜像，或在实例上安装 Python。</translation>
    </message>
    <message>
        <source>This Jupyter server was not started by gpudesk, so gpudesk leaves it running.</source>
        <translation>这个 Jupyter 服务不是 gpudesk 启动的，gpudesk 不会停止它。</translation>
    </message>
    <message>
        <source>Stop it on the instance yourself if you really mean to.</source>
        <translation>如果确实要停止，请自己在实例上操作。</translation>
    </message>
    <message>
        <source>No running Jupyter server answered on the instance.</source>
        <translation>实例上没有正在运行的 Jupyter 服务响应。</translation>
    </message>
    <message>
        <source>Press Open Jupyter: gpudesk starts one.</source>
        <translation>请点击“打开 Jupyter”，gpudesk 会启动一个。</translation>
    </message>
    <message>
        <source>The value must be greater than 0.</source>
        <translation>这个值必须大于 0。</translation>
    </message>
    <message>
        <source>For example: 30</source>
        <translation>例如：30</translation>
    </message>
    <message>
        <source>nvidia-smi failed on the instance.</source>
        <translation>实例上的 nvidia-smi 运行失败。</translation>
    </message>
    <message>
        <source>The instance may have no GPU (CPU-only mode) or its driver is not loaded.</source>
        <translation>实例可能没有 GPU（无卡模式），或驱动没有加载。</translation>
    </message>
    <message>
        <source>The GPU monitor stopped.</source>
        <translation>GPU 监控已停止。</translation>
    </message>
    <message>
        <source>Run gpudesk monitor again; with -v the log says more.</source>
        <translation>请重新运行 gpudesk monitor；加上 -v 可在日志中看到更多信息。</translation>
    </message>
    <message>
        <source>The work folder is not an absolute path.</source>
        <translation>工作目录不是绝对路径。</translation>
    </message>
    <message>
        <source>Give the work folder as an absolute path, e.g. /root/autodl-tmp.</source>
        <translation>请用绝对路径填写工作目录，例如 /root/autodl-tmp。</translation>
    </message>
    <message>
        <source>TensorBoard is not installed on the instance.</source>
        <translation>实例上没有安装 TensorBoard。</translation>
    </message>
    <message>
        <source>Install it on the instance: pip install tensorboard</source>
        <translation>请在实例上安装：pip install tensorboard</translation>
    </message>
    <message>
        <source>This TensorBoard was not started by gpudesk, so gpudesk leaves it running.</source>
        <translation>这个 TensorBoard 不是 gpudesk 启动的，gpudesk 不会停止它。</translation>
    </message>
    <message>
        <source>No running TensorBoard answered on the instance.</source>
        <translation>实例上没有正在运行的 TensorBoard 响应。</translation>
    </message>
    <message>
        <source>Press Open TensorBoard: gpudesk starts one.</source>
        <translation>请点击“打开 TensorBoard”，gpudesk 会启动一个。</translation>
    </message>
    <message>
        <source>Unknown kind of tunnel.</source>
        <translation>未知的隧道类型。</translation>
    </message>
    <message>
        <source>Use jupyter, tensorboard or custom.</source>
        <translation>请使用 jupyter、tensorboard 或 custom。</translation>
    </message>
    <message>
        <source>A tunnel name has 1 to 64 printable characters.</source>
        <translation>隧道名称应为 1 到 64 个可见字符。</translation>
    </message>
    <message>
        <source>Name it after what it serves, e.g. Jupyter or Gradio demo.</source>
        <translation>用它所服务的内容命名，例如 Jupyter 或 Gradio 演示。</translation>
    </message>
    <message>
        <source>A saved tunnel is damaged.</source>
        <translation>一条已保存的隧道已损坏。</translation>
    </message>
    <message>
        <source>Remove the tunnel and add it again.</source>
        <translation>请删除这条隧道后重新添加。</translation>
    </message>
    <message>
        <source>These ports cannot be used for a tunnel.</source>
        <translation>这些端口不能用于隧道。</translation>
    </message>
    <message>
        <source>Use ports from 1 to 65535 (0 as the local port picks a free one).</source>
        <translation>请使用 1 到 65535 之间的端口（本地端口填 0 表示自动选择空闲端口）。</translation>
    </message>
    <message>
        <source>The tunnels have been shut down.</source>
        <translation>隧道已经全部关闭。</translation>
    </message>
    <message>
        <source>gpudesk is quitting; start it again to use tunnels.</source>
        <translation>gpudesk 正在退出；请重新启动它来使用隧道。</translation>
    </message>
    <message>
        <source>Could not log in to the instance.</source>
        <translation>无法登录实例。</translation>
    </message>
    <message>
        <source>gpudesk keeps trying; check that the instance is running.</source>
        <translation>gpudesk 会继续重试；请确认实例正在运行。</translation>
    </message>
    <message>
        <source>The tunnel failed.</source>
        <translation>隧道出错了。</translation>
    </message>
    <message>
        <source>Check that the instance is running, then try again.</source>
        <translation>请确认实例正在运行，然后再试。</translation>
    </message>
    <message>
        <source>This local port is already in use.</source>
        <translation>这个本地端口已被占用。</translation>
    </message>
    <message>
        <source>Choose another local port (0 picks a free one).</source>
        <translation>请换一个本地端口（填 0 自动选择空闲端口）。</translation>
    </message>
    <message>
        <source>This local port cannot be used.</source>
        <translation>这个本地端口无法使用。</translation>
    </message>
    <message>
        <source>Choose a port above 1024 (0 picks a free one).</source>
        <translation>请选择大于 1024 的端口（填 0 自动选择空闲端口）。</translation>
    </message>
    <message>
        <source>There is no key and no saved password for this instance.</source>
        <translation>这个实例既没有密钥也没有保存的密码。</translation>
    </message>
    <message>
        <source>Save the password (gpudesk asks for it when you connect), or choose a key.</source>
        <translation>请保存密码（连接时 gpudesk 会询问），或选择一个密钥。</translation>
    </message>
    <message>
        <source>The instance has no live connection right now.</source>
        <translation>实例目前没有可用的连接。</translation>
    </message>
    <message>
        <source>Start one of its tunnels (or wait until it is back up) and try again.</source>
        <translation>请启动它的一条隧道（或等待连接恢复），然后再试。</translation>
    </message>
    <message>
        <source>The tunnel is not up.</source>
        <translation>隧道没有连通。</translation>
    </message>
    <message>
        <source>This tunnel no longer exists.</source>
        <translation>这条隧道已经不存在。</translation>
    </message>
    <message>
        <source>It was removed meanwhile; add it again if you need it.</source>
        <translation>它已被删除；如果需要，请重新添加。</translation>
    </message>
    <message>
        <source>The folder is not an absolute path.</source>
        <translation>文件夹不是绝对路径。</translation>
    </message>
    <message>
        <source>Give an absolute path on the instance, e.g. /root/autodl-tmp.</source>
        <translation>请填写实例上的绝对路径，例如 /root/autodl-tmp。</translation>
    </message>
    <message>
        <source>Use 1 to 65535.</source>
        <translation>请使用 1 到 65535。</translation>
    </message>
    <message>
        <source>The login shell may have exited early; open a terminal on it and check ~/.bashrc.</source>
        <translation>登录 shell 可能提前退出了；请在实例上打开终端检查 ~/.bashrc。</translation>
    </message>
    <message>
        <source>The instance could not pick a free port.</source>
        <translation>实例无法选出空闲端口。</translation>
    </message>
    <message>
        <source>Open a terminal on the instance and check that python3 runs.</source>
        <translation>请在实例上打开终端，检查 python3 能否运行。</translation>
    </message>
    <message>
        <source>The program could not be started on the instance.</source>
        <translation>无法在实例上启动这个程序。</translation>
    </message>
    <message>
        <source>The details below show what it printed; fix that on the instance and try again.</source>
        <translation>下面的详细信息是它的输出；请在实例上解决后再试。</translation>
    </message>
    <message>
        <source>This name cannot be used for a host key.</source>
        <translation>这个名称不能用作主机密钥名。</translation>
    </message>
    <message>
        <source>Use letters, digits, dots, dashes and colons only.</source>
        <translation>只能使用字母、数字、点、短横线和冒号。</translation>
    </message>
    <message>
        <source>No host key is saved under this name.</source>
        <translation>这个名称下没有保存主机密钥。</translation>
    </message>
    <message>
        <source>List the saved host keys with: gpudesk host-keys</source>
        <translation>可以用 gpudesk host-keys 列出已保存的主机密钥。</translation>
    </message>
    <message>
        <source>The file could not be read as a private key.</source>
        <translation>无法把这个文件读取为私钥。</translation>
    </message>
    <message>
        <source>Choose an OpenSSH or PEM private key (ed25519, rsa or ecdsa).</source>
        <translation>请选择 OpenSSH 或 PEM 格式的私钥（ed25519、rsa 或 ecdsa）。</translation>
    </message>
    <message>
        <source>This file is not a private key.</source>
        <translation>这个文件不是私钥。</translation>
    </message>
    <message>
        <source>Choose the private key file, e.g. ~/.ssh/id_ed25519.</source>
        <translation>请选择私钥文件，例如 ~/.ssh/id_ed25519。</translation>
    </message>
    <message>
        <source>This is a public key; logging in needs the private key.</source>
        <translation>这是公钥，登录需要的是私钥。</translation>
    </message>
    <message>
        <source>Choose the file without .pub next to it.</source>
        <translation>请选择它旁边不带 .pub 后缀的那个文件。</translation>
    </message>
    <message>
        <source>This is a PuTTY key (.ppk).</source>
        <translation>这是 PuTTY 格式的密钥（.ppk）。</translation>
    </message>
    <message>
        <source>Export it in PuTTYgen (Conversions &gt; Export OpenSSH key) and choose that file.</source>
        <translation>请在 PuTTYgen 中导出（Conversions &gt; Export OpenSSH key），再选择导出的文件。</translation>
    </message>
    <message>
        <source>Wrong passphrase for the key.</source>
        <translation>密钥的口令不正确。</translation>
    </message>
    <message>
        <source>Type the passphrase again; it is the one chosen when the key was made.</source>
        <translation>请重新输入口令，即创建密钥时设定的那个。</translation>
    </message>
    <message>
        <source>~/.ssh/authorized_keys on the instance cannot be changed. Nothing was changed.</source>
        <translation>实例上的 ~/.ssh/authorized_keys 无法修改，没有做任何改动。</translation>
    </message>
    <message>
        <source>Some platforms manage this file: add the key in their console instead.</source>
        <translation>有些平台自己管理这个文件：请改在平台控制台中添加公钥。</translation>
    </message>
    <message>
        <source>The key could not be passed to the instance.</source>
        <translation>无法把密钥传给实例。</translation>
    </message>
    <message>
        <source>Choose the key again, or make a new one, and try again.</source>
        <translation>请重新选择密钥或新建一个，然后再试。</translation>
    </message>
    <message>
        <source>Adding the key on the instance failed.</source>
        <translation>在实例上添加密钥失败。</translation>
    </message>
    <message>
        <source>Check that /bin/sh works on the instance and try again.</source>
        <translation>请确认实例上的 /bin/sh 可以正常运行，然后再试。</translation>
    </message>
    <message>
        <source>The home folder on the instance is read-only, so ~/.ssh cannot be created. Nothing was changed.</source>
        <translation>实例上的主目录是只读的，无法创建 ~/.ssh，没有做任何改动。</translation>
    </message>
    <message>
        <source>Make it writable, or add the key in the platform&apos;s console if it has a place for SSH keys.</source>
        <translation>请让它可写；如果平台控制台有填写 SSH 公钥的地方，也可以在那里添加。</translation>
    </message>
    <message>
        <source>The key was added, but the instance still refuses it.</source>
        <translation>公钥已经添加，但实例仍然拒绝它。</translation>
    </message>
    <message>
        <source>On the instance run chmod go-w ~ ~/.ssh; the password still works.</source>
        <translation>请在实例上运行 chmod go-w ~ ~/.ssh；密码登录仍然可用。</translation>
    </message>
    <message>
        <source>The account on the instance has no usable home folder.</source>
        <translation>实例上的账户没有可用的主目录。</translation>
    </message>
    <message>
        <source>Ask the platform&apos;s support: ~/.ssh must live in the home folder.</source>
        <translation>请联系平台客服：~/.ssh 必须位于主目录中。</translation>
    </message>
    <message>
        <source>~/.ssh on the instance is not a folder gpudesk may write to. Nothing was changed.</source>
        <translation>实例上的 ~/.ssh 不是 gpudesk 可以写入的文件夹，没有做任何改动。</translation>
    </message>
    <message>
        <source>Check ~/.ssh on the instance: ls -ld ~/.ssh (it must be yours and writable).</source>
        <translation>请在实例上检查 ~/.ssh：ls -ld ~/.ssh（它必须属于你并且可写）。</translation>
    </message>
    <message>
        <source>Logging in with the key worked, but running a command did not.</source>
        <translation>用密钥登录成功了，但无法运行命令。</translation>
    </message>
    <message>
        <source>Open a terminal on the instance and check that its shell works.</source>
        <translation>请在实例上打开终端，检查它的 shell 是否正常。</translation>
    </message>
    <message>
        <source>Writing ~/.ssh/authorized_keys on the instance failed.</source>
        <translation>在实例上写入 ~/.ssh/authorized_keys 失败。</translation>
    </message>
    <message>
        <source>The disk of the instance may be full (df -h ~).</source>
        <translation>实例的磁盘可能已满（可用 df -h ~ 查看）。</translation>
    </message>
    <message>
        <source>This is not a Windows account id (SID).</source>
        <translation>这不是 Windows 账户标识（SID）。</translation>
    </message>
    <message>
        <source>Run whoami /user to see your SID.</source>
        <translation>运行 whoami /user 可以查看你的 SID。</translation>
    </message>
    <message>
        <source>The permissions of the file could not be changed.</source>
        <translation>无法修改文件权限。</translation>
    </message>
    <message>
        <source>The file may belong to another user: change its owner to yours.</source>
        <translation>这个文件可能属于其他用户：请把所有者改成你自己。</translation>
    </message>
    <message>
        <source>Windows refused to restrict access to the key file.</source>
        <translation>Windows 拒绝限制对密钥文件的访问。</translation>
    </message>
    <message>
        <source>Run in a terminal: icacls KEY /inheritance:r /grant:r &quot;%USERNAME%&quot;:(R)</source>
        <translation>请在终端中运行：icacls KEY /inheritance:r /grant:r &quot;%USERNAME%&quot;:(R)</translation>
    </message>
    <message>
        <source>The file cannot be found.</source>
        <translation>找不到这个文件。</translation>
    </message>
    <message>
        <source>Check the path of the key or config file.</source>
        <translation>请检查密钥或配置文件的路径。</translation>
    </message>
    <message>
        <source>Windows did not say which account is running gpudesk.</source>
        <translation>Windows 没有告知是哪个账户在运行 gpudesk。</translation>
    </message>
    <message>
        <source>Run whoami /user in a terminal; if it fails, repair the file permissions by hand.</source>
        <translation>请在终端中运行 whoami /user；如果失败，请手动修复文件权限。</translation>
    </message>
    <message>
        <source>This is not a regular file.</source>
        <translation>这不是普通文件。</translation>
    </message>
    <message>
        <source>Choose the key file itself, not a folder or a link.</source>
        <translation>请选择密钥文件本身，而不是文件夹或链接。</translation>
    </message>
    <message>
        <source>whoami failed, so the key&apos;s permissions could not be set.</source>
        <translation>whoami 运行失败，无法设置密钥的权限。</translation>
    </message>
    <message>
        <source>Repair the permissions by hand: icacls KEY /inheritance:r /grant:r USER:(R)</source>
        <translation>请手动修复权限：icacls KEY /inheritance:r /grant:r USER:(R)</translation>
    </message>
    <message>
        <source>A key comment must fit on one line.</source>
        <translation>密钥注释必须写在一行内。</translation>
    </message>
    <message>
        <source>Remove the line breaks from the comment.</source>
        <translation>请删除注释中的换行。</translation>
    </message>
    <message>
        <source>This name cannot be used as a key file name.</source>
        <translation>这个名称不能用作密钥文件名。</translation>
    </message>
    <message>
        <source>Use letters, digits, dots, dashes and underscores, e.g. gpudesk_autodl.</source>
        <translation>请只用字母、数字、点、短横线和下划线，例如 gpudesk_autodl。</translation>
    </message>
    <message>
        <source>This is not an OpenSSH public key.</source>
        <translation>这不是 OpenSSH 公钥。</translation>
    </message>
    <message>
        <source>Choose the .pub file next to the private key, or make a new key.</source>
        <translation>请选择私钥旁边的 .pub 文件，或新建一个密钥。</translation>
    </message>
    <message>
        <source>Unknown key type.</source>
        <translation>未知的密钥类型。</translation>
    </message>
    <message>
        <source>Choose ed25519 or rsa.</source>
        <translation>请选择 ed25519 或 rsa。</translation>
    </message>
    <message>
        <source>The passphrase is empty.</source>
        <translation>口令为空。</translation>
    </message>
    <message>
        <source>Leave the passphrase out to make a key without one.</source>
        <translation>如果不需要口令，请不要勾选设置口令。</translation>
    </message>
    <message>
        <source>A key file with this name already exists; gpudesk never overwrites a key file.</source>
        <translation>同名的密钥文件已存在，gpudesk 从不覆盖密钥文件。</translation>
    </message>
    <message>
        <source>Choose another name for the new key.</source>
        <translation>请为新密钥换一个名称。</translation>
    </message>
    <message>
        <source>No free key file name was found.</source>
        <translation>找不到可用的密钥文件名。</translation>
    </message>
    <message>
        <source>Give the key a name of your own.</source>
        <translation>请自己为密钥起一个名字。</translation>
    </message>
    <message>
        <source>The folder ~/.ssh could not be created.</source>
        <translation>无法创建 ~/.ssh 文件夹。</translation>
    </message>
    <message>
        <source>Check that your home folder is writable.</source>
        <translation>请检查你的主目录是否可写。</translation>
    </message>
    <message>
        <source>~/.ssh exists but is not a folder.</source>
        <translation>~/.ssh 已存在，但它不是文件夹。</translation>
    </message>
    <message>
        <source>Move that file aside; SSH keys live in the folder ~/.ssh.</source>
        <translation>请把那个文件移走；SSH 密钥应放在 ~/.ssh 文件夹中。</translation>
    </message>
    <message>
        <source>The key file could not be created.</source>
        <translation>无法创建密钥文件。</translation>
    </message>
    <message>
        <source>Check that the folder exists and that you may write to it.</source>
        <translation>请确认文件夹存在并且你有写入权限。</translation>
    </message>
    <message>
        <source>No terminal program was found to run ssh in.</source>
        <translation>找不到可以运行 ssh 的终端程序。</translation>
    </message>
    <message>
        <source>Install a terminal (e.g. xterm), or set the TERMINAL environment variable.</source>
        <translation>请安装一个终端（例如 xterm），或设置 TERMINAL 环境变量。</translation>
    </message>
    <message>
        <source>The terminal could not start.</source>
        <translation>终端无法启动。</translation>
    </message>
    <message>
        <source>Open a terminal yourself and type the ssh command (Copy ssh command).</source>
        <translation>请自己打开终端并输入 ssh 命令（可用“复制 ssh 命令”）。</translation>
    </message>
    <message>
        <source>Stopped waiting for the new instance.</source>
        <translation>已停止等待新实例。</translation>
    </message>
    <message>
        <source>An instance AutoDL already created stays in your account: see its console.</source>
        <translation>AutoDL 已经创建的实例仍保留在你的账号中：请到控制台查看。</translation>
    </message>
</context>
<context>
    <name>FilesView</name>
    <message>
        <source>Folder on the instance:</source>
        <translation>实例上的文件夹：</translation>
    </message>
    <message>
        <source>Absolute, or relative to the instance&apos;s work folder.</source>
        <translation>绝对路径，或相对于实例工作目录的路径。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Send to the instance</source>
        <translation>上传到实例</translation>
    </message>
    <message>
        <source>Drop files or folders here to send them to the folder above.</source>
        <translation>把文件或文件夹拖到这里，即可上传到上面的文件夹。</translation>
    </message>
    <message>
        <source>Send files…</source>
        <translation>上传文件…</translation>
    </message>
    <message>
        <source>Send a folder…</source>
        <translation>上传文件夹…</translation>
    </message>
    <message>
        <source>Compare content (slower)</source>
        <translation>比较文件内容（较慢）</translation>
    </message>
    <message>
        <source>Delete files the source no longer has</source>
        <translation>删除源位置已没有的文件</translation>
    </message>
    <message>
        <source>Fetch from the instance</source>
        <translation>从实例下载</translation>
    </message>
    <message>
        <source>Fetch selected to…</source>
        <translation>下载所选项到…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Changed on the other side — left as they are</source>
        <translation>对方已修改的文件（保持原样，未覆盖）</translation>
    </message>
    <message>
        <source>Save my copy beside them</source>
        <translation>把我的版本另存在旁边</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>保留对方的版本</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Send files</source>
        <translation>上传文件</translation>
    </message>
    <message>
        <source>Send a folder</source>
        <translation>上传文件夹</translation>
    </message>
    <message>
        <source>Select files or folders in the list first.</source>
        <translation>请先在列表中选择文件或文件夹。</translation>
    </message>
    <message>
        <source>Fetch into</source>
        <translation>下载到</translation>
    </message>
    <message>
        <source>Sending %1…</source>
        <translation>正在上传 %1…</translation>
    </message>
    <message>
        <source>Fetching %1…</source>
        <translation>正在下载 %1…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 of %2 files</source>
        <translation>%1 / %2 个文件</translation>
    </message>
    <message>
        <source>Stopped. Start the same transfer again to resume it.</source>
        <translation>已停止。再次开始同样的传输即可从中断处继续。</translation>
    </message>
    <message>
        <source>Done: %1 files sent (%2), %3 already there.</source>
        <translation>完成：传输了 %1 个文件（%2），%3 个文件已是最新。</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>……另外还有 %1 个</translation>
    </message>
    <message>
        <source>Delete files?</source>
        <translation>删除文件？</translation>
    </message>
    <message>
        <source>These files are not in the source and will be deleted:

%1</source>
        <translation>以下文件在源位置已不存在，将被删除：

%1</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <source>%1 min %2 s left</source>
        <translation>还剩 %1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>还剩 %1 秒</translation>
    </message>
</context>
<context>
    <name>GpuPage</name>
    <message>
        <source>Choose the GPU you will rent. Not sure? Enter your model&apos;s size and what you want to do with it: gpudesk estimates the GPU memory and marks the cards that fit.</source>
        <translation>选择要租用的显卡。不确定？输入模型大小和用途：gpudesk 会估算所需显存，并标出放得下的显卡。</translation>
    </message>
    <message>
        <source>Show every common GPU</source>
        <translation>显示所有常见显卡</translation>
    </message>
    <message>
        <source> B parameters</source>
        <translation> B 参数</translation>
    </message>
    <message>
        <source>Model size:</source>
        <translation>模型大小：</translation>
    </message>
    <message>
        <source>Task:</source>
        <translation>用途：</translation>
    </message>
    <message>
        <source>What fits my work?</source>
        <translation>哪种显卡适合我？</translation>
    </message>
    <message>
        <source>not entered</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>Chosen GPU:</source>
        <translation>已选显卡：</translation>
    </message>
    <message>
        <source>Price per hour (optional, as the console shows):</source>
        <translation>每小时价格（可选，按控制台显示填写）：</translation>
    </message>
    <message>
        <source>AutoDL&apos;s API names GPUs by spec; only the specs its documentation shows are listed. Stock and prices are not published by the API: the instance&apos;s price shows once it exists.</source>
        <translation>AutoDL 的 API 用规格名称表示显卡；这里只列出其文档中出现过的规格。API 不提供库存和价格：实例创建后才能看到它的价格。</translation>
    </message>
    <message>
        <source>Create on my AutoDL account (Pro instance)</source>
        <translation>用我的 AutoDL 账号创建（Pro 实例）</translation>
    </message>
    <message>
        <source>GPU spec:</source>
        <translation>显卡规格：</translation>
    </message>
    <message>
        <source>Number of GPUs:</source>
        <translation>显卡数量：</translation>
    </message>
    <message>
        <source>Choose a GPU</source>
        <translation>选择显卡</translation>
    </message>
    <message>
        <source>Needs about %1 GB of GPU memory (%2 GiB).</source>
        <translation>大约需要 %1 GB 显存（%2 GiB）。</translation>
    </message>
    <message>
        <source>Formula: %1 B parameters × %2 bytes (%3) × %4 (KV cache, activations, CUDA context) = %5 GB. Long contexts or big batches need more.</source>
        <translation>公式：%1 B 参数 × %2 字节（%3）× %4（KV 缓存、激活值、CUDA 上下文）= %5 GB。长上下文或大批量需要更多。</translation>
    </message>
    <message>
        <source>&quot;Needs %1 cards&quot; means renting one instance with that many GPUs and splitting the model across them (tensor or pipeline parallelism, FSDP, DeepSpeed): more set-up, and the split adds memory of its own, so the count is a lower bound. A bigger card or a smaller task is simpler.</source>
        <translation>“需要 %1 张卡”是指租一台带这么多块 GPU 的实例，并把模型拆到各张卡上（张量并行或流水线并行、FSDP、DeepSpeed）：配置更麻烦，拆分本身也会占用显存，所以这个数字只是下限。换一张显存更大的卡或做更小的任务会更简单。</translation>
    </message>
    <message>
        <source>Could not read the prices of your AutoDL instances: %1</source>
        <translation>无法读取你的 AutoDL 实例价格：%1</translation>
    </message>
    <message>
        <source>Prices marked &quot;your instance&quot; come from your AutoDL account.</source>
        <translation>标有“你的实例”的价格来自你的 AutoDL 账号。</translation>
    </message>
    <message>
        <source>Reading your AutoDL instances&apos; prices…</source>
        <translation>正在读取你的 AutoDL 实例价格…</translation>
    </message>
    <message>
        <source>none yet: click a row in the table</source>
        <translation>尚未选择：请点击表格中的一行</translation>
    </message>
</context>
<context>
    <name>GpuTable</name>
    <message>
        <source>GPU</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>显存</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Compute capability</source>
        <translation>计算能力</translation>
    </message>
    <message>
        <source>Speed (T4 = 1)</source>
        <translation>速度（T4 = 1）</translation>
    </message>
    <message>
        <source>Fits?</source>
        <translation>放得下吗？</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>¥%1/h for %2 GPUs (your instance %3)</source>
        <translation>¥%1/小时，%2 张卡（你的实例 %3）</translation>
    </message>
    <message>
        <source>¥%1/h (your instance %2)</source>
        <translation>¥%1/小时（你的实例 %2）</translation>
    </message>
    <message>
        <source>Free (%1)</source>
        <translation>免费（%1）</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>免费</translation>
    </message>
    <message>
        <source>See the price page (link below)</source>
        <translation>见价格页面（链接在表格下方）</translation>
    </message>
    <message>
        <source>Not known to gpudesk</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Which GPUs %1 rents is not known to gpudesk, so every common GPU is listed.</source>
        <translation>%1：gpudesk 不知道它出租哪些显卡，因此列出所有常见显卡。</translation>
    </message>
    <message>
        <source>The GPUs %1 is known to rent.</source>
        <translation>%1：表中是已知该平台出租的显卡。</translation>
    </message>
    <message>
        <source>The GPUs %1 is known to rent; it has others too.</source>
        <translation>%1：表中是已知该平台出租的显卡；它还有其他型号。</translation>
    </message>
    <message>
        <source>Other prices: &lt;a href=&quot;%1&quot;&gt;%2&apos;s price page&lt;/a&gt;.</source>
        <translation>%2：其他价格见&lt;a href=&quot;%1&quot;&gt;价格页面&lt;/a&gt;。</translation>
    </message>
    <message>
        <source>gpudesk has no price list: see &lt;a href=&quot;%1&quot;&gt;%2&apos;s site&lt;/a&gt; for prices.</source>
        <translation>%2：gpudesk 没有价格表，价格请以&lt;a href=&quot;%1&quot;&gt;官网&lt;/a&gt;为准。</translation>
    </message>
    <message>
        <source>%1 has at most %2 of this card in one instance.</source>
        <translation>%1 单台实例最多有 %2 张这种卡。</translation>
    </message>
    <message>
        <source>Fits on one %1 (%2 GiB, needs %3 GiB).</source>
        <translation>一张 %1 就放得下（%2 GiB，需要 %3 GiB）。</translation>
    </message>
    <message>
        <source>Needs %1 × %2 (%3 GiB each) for %4 GiB; splitting a model across GPUs (tensor or pipeline parallelism, FSDP, DeepSpeed) adds memory of its own, so this is a lower bound.</source>
        <translation>需要 %1 × %2（每张 %3 GiB）才能放下 %4 GiB；把模型拆到多张卡上（张量并行或流水线并行、FSDP、DeepSpeed）本身也会占用显存，所以这只是下限。</translation>
    </message>
    <message>
        <source>Too small</source>
        <translation>放不下</translation>
    </message>
    <message>
        <source>Fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <source>Tight</source>
        <translation>偏紧</translation>
    </message>
    <message>
        <source>Less than a tenth of the card stays free: the usable memory is a little below the nominal size, and a longer context or bigger batch will not fit.</source>
        <translation>显存剩余不到十分之一：实际可用显存比标称值略小，更长的上下文或更大的批量就放不下了。</translation>
    </message>
    <message>
        <source>Needs %1 cards: %2 has up to %3</source>
        <translation>需要 %1 张卡：%2 最多 %3 张</translation>
    </message>
    <message>
        <source>Needs %1 cards: %2 has only %3</source>
        <translation>需要 %1 张卡：%2 只有 %3 张</translation>
    </message>
    <message>
        <source>Needs %1 cards</source>
        <translation>需要 %1 张卡</translation>
    </message>
</context>
<context>
    <name>GuardForm</name>
    <message>
        <source>Power off when every GPU idles</source>
        <translation>所有显卡都空闲时关机</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Process id</source>
        <translation>进程号</translation>
    </message>
    <message>
        <source>Command line contains</source>
        <translation>命令行包含</translation>
    </message>
    <message>
        <source>e.g. train.py</source>
        <translation>例如 train.py</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限时</translation>
    </message>
    <message>
        <source>At a time of day</source>
        <translation>在某个时刻</translation>
    </message>
    <message>
        <source>After some hours</source>
        <translation>若干小时后</translation>
    </message>
    <message>
        <source>When a budget is spent (¥)</source>
        <translation>花完预算时（¥）</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source> ¥</source>
        <translation> 元</translation>
    </message>
    <message>
        <source>unknown for this platform: the guard only warns</source>
        <translation>此平台未知：守护程序只发出提醒</translation>
    </message>
    <message>
        <source>Idle for, below</source>
        <translation>空闲时长与阈值</translation>
    </message>
    <message>
        <source>After a process ends</source>
        <translation>进程结束后</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>时间限制</translation>
    </message>
    <message>
        <source>Warning before power-off</source>
        <translation>关机前提醒时间</translation>
    </message>
    <message>
        <source>Power-off command</source>
        <translation>关机命令</translation>
    </message>
</context>
<context>
    <name>GuardView</name>
    <message>
        <source>%1: the guard&apos;s rule fired; stop the instance in the console within %2 min.</source>
        <translation>%1：守护规则已触发，请在 %2 分钟内到控制台关闭实例。</translation>
    </message>
    <message>
        <source>%1 powers off in %2 min</source>
        <translation>%1 将在 %2 分钟后关机</translation>
    </message>
    <message>
        <source>Arm guard</source>
        <translation>启用守护</translation>
    </message>
    <message>
        <source>Not checked yet.</source>
        <translation>尚未查询。</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Postpone</source>
        <translation>推迟</translation>
    </message>
    <message>
        <source>Cancel guard</source>
        <translation>取消守护</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>The guard runs on the instance itself, so it powers an idle GPU off even while this computer sleeps or the network is down.</source>
        <translation>守护程序运行在实例上，即使这台电脑休眠或断网，也会关掉空闲的显卡实例。</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>On the instance</source>
        <translation>实例上的状态</translation>
    </message>
    <message>
        <source>Re-arm with these rules</source>
        <translation>按这些规则重新启用</translation>
    </message>
    <message>
        <source>GPU idle for %1 min</source>
        <translation>显卡已空闲 %1 分钟</translation>
    </message>
    <message>
        <source>Announced on the instance: %1</source>
        <translation>实例上发出的通知：%1</translation>
    </message>
    <message>
        <source>Armed: a rule fired, the instance is about to be powered off.</source>
        <translation>已启用：规则已触发，实例即将关机。</translation>
    </message>
    <message>
        <source>Armed: watching the instance.</source>
        <translation>已启用：正在看守实例。</translation>
    </message>
    <message>
        <source>No power-off command is known for this platform: the guard only warns.</source>
        <translation>此平台没有已知的关机命令：守护程序只发出提醒。</translation>
    </message>
    <message>
        <source>The guard powered the instance off.</source>
        <translation>守护程序已关闭实例。</translation>
    </message>
    <message>
        <source>The guard&apos;s power-off command failed; see its log.</source>
        <translation>守护程序的关机命令失败了，请查看它的日志。</translation>
    </message>
    <message>
        <source>The guard warned and ended; stop the instance in the console.</source>
        <translation>守护程序已发出提醒并结束，请在控制台关闭实例。</translation>
    </message>
    <message>
        <source>The guard stopped without powering off.</source>
        <translation>守护程序已停止，没有关机。</translation>
    </message>
    <message>
        <source>No guard is running.</source>
        <translation>没有正在运行的守护程序。</translation>
    </message>
    <message>
        <source>every GPU below %1 % for %2 min</source>
        <translation>所有显卡低于 %1 % 持续 %2 分钟</translation>
    </message>
    <message>
        <source>after process %1 ends</source>
        <translation>进程 %1 结束后</translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>在 %1</translation>
    </message>
    <message>
        <source>after %1 h</source>
        <translation>%1 小时后</translation>
    </message>
    <message>
        <source>Rules: %1</source>
        <translation>规则：%1</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Last sample: GPU not readable (%1)</source>
        <translation>最近一次采样：无法读取显卡（%1）</translation>
    </message>
    <message>
        <source>Last sample: %1</source>
        <translation>最近一次采样：%1</translation>
    </message>
    <message>
        <source>Warns in %1</source>
        <translation>%1后提醒</translation>
    </message>
    <message>
        <source>Powers off in %1</source>
        <translation>%1后关机</translation>
    </message>
</context>
<context>
    <name>HostKeyDialog</name>
    <message>
        <source>Trust this instance?</source>
        <translation>信任这个实例吗？</translation>
    </message>
    <message>
        <source>This is the first time gpudesk connects to %1. An SSH server proves who it is with its host key; gpudesk will remember this key and refuse to send your password if it ever changes.</source>
        <translation>这是 gpudesk 第一次连接 %1。SSH 服务器用主机密钥证明自己的身份；gpudesk 会记住这个密钥，以后如果它发生变化，gpudesk 将拒绝发送你的密码。</translation>
    </message>
    <message>
        <source>Key type: %1</source>
        <translation>密钥类型：%1</translation>
    </message>
    <message>
        <source>If your platform&apos;s console shows a host key fingerprint, compare it with this one. Trust the key only if you just created this instance or the fingerprints match.</source>
        <translation>如果平台控制台显示了主机密钥指纹，请与这里的对比。只有在你刚创建了这个实例，或者指纹一致时，才信任这个密钥。</translation>
    </message>
    <message>
        <source>Trust and connect</source>
        <translation>信任并连接</translation>
    </message>
    <message>
        <source>Do not connect</source>
        <translation>不连接</translation>
    </message>
    <message>
        <source>SHA256 fingerprint of the host key:</source>
        <translation>主机密钥的 SHA256 指纹：</translation>
    </message>
</context>
<context>
    <name>ImagePage</name>
    <message>
        <source>When you create the instance, the console asks for an image: the system it starts with, that is a PyTorch build, the CUDA version it was built for, and Python. Pick the one you will choose there; gpudesk checks that it suits your GPU.</source>
        <translation>创建实例时，控制台会让你选择镜像：也就是实例启动时自带的系统，包括 PyTorch 版本、它所基于的 CUDA 版本和 Python。请选择你将在控制台中选用的镜像；gpudesk 会检查它是否适合你的显卡。</translation>
    </message>
    <message>
        <source>Choose an image</source>
        <translation>选择镜像</translation>
    </message>
    <message>
        <source>Another image</source>
        <translation>其他镜像</translation>
    </message>
    <message>
        <source>Not listed here: gpudesk will check what it has once you connect.</source>
        <translation>列表中没有：连接后 gpudesk 会检查实例上有什么。</translation>
    </message>
    <message>
        <source>Recommended by a 2024 community tutorial</source>
        <translation>2024 年的社区教程推荐</translation>
    </message>
    <message>
        <source>Typical choice: names differ by platform, check your console</source>
        <translation>常见选择：各平台名称不同，请以控制台为准</translation>
    </message>
    <message>
        <source>%1 on the %2:</source>
        <translation>%1 在 %2 上：</translation>
    </message>
</context>
<context>
    <name>InstanceActions</name>
    <message>
        <source>Open in VS Code</source>
        <translation>在 VS Code 中打开</translation>
    </message>
    <message>
        <source>Open Jupyter</source>
        <translation>打开 Jupyter</translation>
    </message>
    <message>
        <source>Open TensorBoard</source>
        <translation>打开 TensorBoard</translation>
    </message>
    <message>
        <source>Open a terminal</source>
        <translation>打开终端</translation>
    </message>
    <message>
        <source>The system terminal, logged in with ssh</source>
        <translation>系统终端，已用 ssh 登录</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy ssh command</source>
        <translation>复制 ssh 命令</translation>
    </message>
    <message>
        <source>Copy Jupyter URL for VS Code</source>
        <translation>复制 Jupyter 地址（用于 VS Code）</translation>
    </message>
    <message>
        <source>For VS Code: Select Kernel &gt; Existing Jupyter Server, then paste. The URL holds the server&apos;s token: keep it to yourself.</source>
        <translation>用于 VS Code：选择内核 &gt; 现有 Jupyter 服务器，然后粘贴。地址中含有服务器令牌，请不要分享给别人。</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Re-point (new login command)…</source>
        <translation>更换地址（新的登录指令）…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Power</source>
        <translation>电源</translation>
    </message>
    <message>
        <source>Power on</source>
        <translation>开机</translation>
    </message>
    <message>
        <source>Power off…</source>
        <translation>关机…</translation>
    </message>
    <message>
        <source>Through the platform account the instance is in</source>
        <translation>通过实例所在的平台账号操作</translation>
    </message>
</context>
<context>
    <name>InstanceDetails</name>
    <message>
        <source>Select an instance to see its tunnels.</source>
        <extracomment>Builds one extra tab for an instance (e.g. a cost-guard or files view). An action button was pressed: (action id, alias); see ``InstanceActions``.</extracomment>
        <translation>选择一个实例以查看它的隧道。</translation>
    </message>
    <message>
        <source>The tunnels appear once gpudesk&apos;s tunnel service has started.</source>
        <translation>gpudesk 的隧道服务启动后，这里会显示隧道。</translation>
    </message>
    <message>
        <source>Tunnels</source>
        <translation>隧道</translation>
    </message>
    <message>
        <source>GPU: not watched (no tunnel up).</source>
        <translation>GPU：未监控（没有连通的隧道）。</translation>
    </message>
</context>
<context>
    <name>InstanceTable</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>GPU use</source>
        <translation>GPU 使用率</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>显存</translation>
    </message>
    <message>
        <source>Up for</source>
        <translation>已运行</translation>
    </message>
    <message>
        <source>Cost (estimate)</source>
        <translation>费用（估算）</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1/%2 GiB</source>
        <translation>%1/%2 GiB</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>InstanceViews</name>
    <message>
        <source>guard: powers off at %1</source>
        <extracomment>Set on a guard view once its status was asked for.</extracomment>
        <translation>守护：%1 关机</translation>
    </message>
    <message>
        <source>guard armed</source>
        <translation>守护已开启</translation>
    </message>
    <message>
        <source>Cost guard</source>
        <translation>费用守护</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <source>Log in with a key instead of the password: gpudesk adds your public key to the instance and checks that a login with the key alone works.</source>
        <translation>用密钥代替密码登录：gpudesk 会把你的公钥添加到实例上，并确认仅用密钥就能登录。</translation>
    </message>
    <message>
        <source>Use a key I already have</source>
        <translation>使用已有的密钥</translation>
    </message>
    <message>
        <source>Create a new key</source>
        <translation>创建新密钥</translation>
    </message>
    <message>
        <source>Ed25519 (recommended)</source>
        <translation>Ed25519（推荐）</translation>
    </message>
    <message>
        <source>RSA 4096 (for old servers)</source>
        <translation>RSA 4096（用于旧服务器）</translation>
    </message>
    <message>
        <source>gpudesk_ed25519 (in ~/.ssh)</source>
        <translation>gpudesk_ed25519（位于 ~/.ssh）</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>口令：</translation>
    </message>
    <message>
        <source>Passphrase again:</source>
        <translation>再次输入口令：</translation>
    </message>
    <message>
        <source>Instance password:</source>
        <translation>实例密码：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>File name:</source>
        <translation>文件名：</translation>
    </message>
    <message>
        <source>Install the key on the instance</source>
        <translation>把密钥安装到实例上</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Forget the password: log in with the key only</source>
        <translation>忘记密码：只用密钥登录</translation>
    </message>
    <message>
        <source>Use another key…</source>
        <translation>改用其他密钥…</translation>
    </message>
    <message>
        <source>Skip this step and keep logging in with the password</source>
        <translation>跳过这一步，继续用密码登录</translation>
    </message>
    <message>
        <source>Log in with an SSH key</source>
        <translation>用 SSH 密钥登录</translation>
    </message>
    <message>
        <source>(passphrase)</source>
        <translation>（有口令）</translation>
    </message>
    <message>
        <source>Passphrase (optional):</source>
        <translation>口令（可选）：</translation>
    </message>
    <message>
        <source>Key passphrase:</source>
        <translation>密钥口令：</translation>
    </message>
    <message>
        <source>leave empty for a key without one</source>
        <translation>留空则密钥不设口令</translation>
    </message>
    <message>
        <source>leave empty if it is saved in the keyring</source>
        <translation>如果已保存在钥匙串中可留空</translation>
    </message>
    <message>
        <source>The saved key logs in already: nothing to install.</source>
        <translation>已保存的密钥已经可以登录：无需再安装。</translation>
    </message>
    <message>
        <source>Key: %1</source>
        <translation>密钥：%1</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>Enter the instance&apos;s password: it is needed once to add the key.</source>
        <translation>请输入实例密码：添加密钥时需要用一次。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Creating the key…</source>
        <translation>正在创建密钥…</translation>
    </message>
    <message>
        <source>Adding the key to ~/.ssh/authorized_keys…</source>
        <translation>正在把密钥添加到 ~/.ssh/authorized_keys…</translation>
    </message>
    <message>
        <source>Logging in with the key alone…</source>
        <translation>正在仅用密钥登录…</translation>
    </message>
    <message>
        <source>Logging in to %1 with the password…</source>
        <translation>正在用密码登录 %1…</translation>
    </message>
    <message>
        <source>Key: %1
Fingerprint: %2</source>
        <translation>密钥：%1
指纹：%2</translation>
    </message>
    <message>
        <source>The key was already installed; nothing was changed.</source>
        <translation>密钥早已安装；没有做任何修改。</translation>
    </message>
    <message>
        <source>Key login works.</source>
        <translation>密钥登录成功。</translation>
    </message>
    <message>
        <source>The password was forgotten; the key logs in.</source>
        <translation>已忘记密码；改用密钥登录。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No instances yet. Set up your first one: gpudesk walks you through choosing a platform, a GPU and an image, then connects to the machine and checks it.</source>
        <translation>还没有实例。来配置第一个吧：gpudesk 会一步步带你选择平台、显卡和镜像，然后连接机器并检查它。</translation>
    </message>
    <message>
        <source>No secure system keyring: passwords are kept until gpudesk quits.</source>
        <translation>没有安全的系统钥匙串：密码只保留到 gpudesk 退出。</translation>
    </message>
    <message>
        <source>Your GPU instances</source>
        <translation>你的 GPU 实例</translation>
    </message>
    <message>
        <source>Set up a new GPU instance</source>
        <translation>配置新的 GPU 实例</translation>
    </message>
    <message>
        <source>Add one I already rent</source>
        <translation>添加已租用的实例</translation>
    </message>
    <message>
        <source>GPU platforms at a glance</source>
        <translation>GPU 平台一览</translation>
    </message>
    <message>
        <source>Your cloud GPUs</source>
        <extracomment>How long an action&apos;s error stays in the status bar (ms). How often the time-up and cost figures move on without a new reading (ms).</extracomment>
        <translation>你的云 GPU</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New instance…</source>
        <translation>新建实例(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Add an instance I already rent…</source>
        <translation>添加已租用的实例(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About / Help…</source>
        <translation>关于 / 帮助(&amp;A)…</translation>
    </message>
    <message>
        <source>Picked up the set-up where you left off.</source>
        <translation>已从上次中断的地方继续配置。</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Opened in the browser for %1.</source>
        <translation>已在浏览器中为 %1 打开。</translation>
    </message>
    <message>
        <source>VS Code opens %1.</source>
        <translation>VS Code 正在打开 %1。</translation>
    </message>
</context>
<context>
    <name>NoSshPage</name>
    <message>
        <source>No SSH on this platform</source>
        <translation>此平台不提供 SSH</translation>
    </message>
    <message>
        <source>%1 works in the browser</source>
        <translation>%1 在浏览器中使用</translation>
    </message>
    <message>
        <source>%1 has no SSH login: it runs notebooks in your browser.</source>
        <translation>%1 不提供 SSH 登录：它在浏览器中运行笔记本。</translation>
    </message>
    <message>
        <source>So gpudesk cannot log in to it, install an SSH key, set up VS Code Remote-SSH or keep tunnels open there. Use it in the browser; it is a good place to write and debug code for free.</source>
        <translation>因此 gpudesk 无法登录它、安装 SSH 密钥、配置 VS Code Remote-SSH 或为它保持隧道。请在浏览器中使用；它很适合免费编写和调试代码。</translation>
    </message>
    <message>
        <source>It offers</source>
        <translation>提供</translation>
    </message>
    <message>
        <source>Free quota</source>
        <translation>免费额度</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限制</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>适合</translation>
    </message>
    <message>
        <source>Work folder</source>
        <translation>工作目录</translation>
    </message>
    <message>
        <source>Good to know</source>
        <translation>小贴士</translation>
    </message>
    <message>
        <source>Open %1 in the browser</source>
        <translation>在浏览器中打开 %1</translation>
    </message>
    <message>
        <source>Want a machine you can log in to with SSH? Go Back and choose one of: %1.</source>
        <translation>想要能用 SSH 登录的机器？请返回上一步，选择以下平台之一：%1。</translation>
    </message>
</context>
<context>
    <name>PlatformCard</name>
    <message>
        <source>SSH</source>
        <translation>SSH</translation>
    </message>
    <message>
        <source>Web notebook only</source>
        <translation>仅网页笔记本</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Free quota</source>
        <translation>免费额度</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限制</translation>
    </message>
    <message>
        <source>Good for</source>
        <translation>适合</translation>
    </message>
    <message>
        <source>Facts checked on %1</source>
        <translation>信息核对于 %1</translation>
    </message>
    <message>
        <source>Sign up / open console</source>
        <translation>注册 / 打开控制台</translation>
    </message>
</context>
<context>
    <name>PlatformPage</name>
    <message>
        <source>Where will you rent your GPU? Paid platforms give you an SSH login, so gpudesk can connect, check and set up the machine for you. Free platforms run notebooks in the browser only.</source>
        <translation>你打算在哪里租 GPU？付费平台提供 SSH 登录，gpudesk 可以替你连接、检查并配置机器。免费平台只能在浏览器中运行笔记本。</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Compare side by side</source>
        <translation>并排比较</translation>
    </message>
    <message>
        <source>I already have an instance…</source>
        <translation>我已经有实例了…</translation>
    </message>
    <message>
        <source>Skip the choices and paste the ssh command of a machine you already rent.</source>
        <translation>跳过选择，直接粘贴已租用机器的 ssh 登录指令。</translation>
    </message>
    <message>
        <source>Already renting? Go straight to connecting:</source>
        <translation>已经租好了？直接去连接：</translation>
    </message>
    <message>
        <source>Connect my AutoDL account…</source>
        <translation>连接我的 AutoDL 账号…</translation>
    </message>
    <message>
        <source>Pick one of my AutoDL Pro instances…</source>
        <translation>从我的 AutoDL Pro 实例中选择…</translation>
    </message>
    <message>
        <source>Create the instance with my AutoDL account (AutoDL chosen above)</source>
        <translation>用我的 AutoDL 账号创建实例（需在上方选择 AutoDL）</translation>
    </message>
    <message>
        <source>Or let gpudesk use your AutoDL account:</source>
        <translation>或者让 gpudesk 使用你的 AutoDL 账号：</translation>
    </message>
    <message>
        <source>AutoDL account connected. Its official API controls Pro instances only: ordinary instances are set up by pasting their command.</source>
        <translation>已连接 AutoDL 账号。官方 API 只能管理 Pro 实例：普通实例请粘贴登录指令来配置。</translation>
    </message>
    <message>
        <source>With your AutoDL developer token gpudesk lists your Pro instances, or creates one, and reads the login itself: nothing to paste.</source>
        <translation>有了你的 AutoDL 开发者令牌，gpudesk 可以列出你的 Pro 实例或新建一台，并自己读取登录信息：无需粘贴任何内容。</translation>
    </message>
    <message>
        <source>Choose a GPU platform</source>
        <translation>选择 GPU 平台</translation>
    </message>
</context>
<context>
    <name>PlatformStatus</name>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>开机中</translation>
    </message>
    <message>
        <source>Creating</source>
        <translation>创建中</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>已关机</translation>
    </message>
    <message>
        <source>Powering off</source>
        <translation>关机中</translation>
    </message>
    <message>
        <source>Releasing</source>
        <translation>释放中</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已释放</translation>
    </message>
</context>
<context>
    <name>PowerActions</name>
    <message>
        <source>Powering off %1…</source>
        <translation>正在关闭 %1…</translation>
    </message>
    <message>
        <source>%1 is powering off.</source>
        <translation>%1 正在关机。</translation>
    </message>
    <message>
        <source>Powering on %1…</source>
        <translation>正在开启 %1…</translation>
    </message>
    <message>
        <source>the instance&apos;s new machine</source>
        <translation>实例的新机器</translation>
    </message>
    <message>
        <source>%1 is running.</source>
        <translation>%1 已在运行。</translation>
    </message>
</context>
<context>
    <name>PowerOffQuestion</name>
    <message>
        <source>Power off %1?</source>
        <translation>关闭 %1？</translation>
    </message>
    <message>
        <source>Power off %1 through the platform now? Its tunnels drop and anything running on it stops.</source>
        <translation>现在通过平台关闭 %1 吗？它的隧道会断开，上面运行的程序都会停止。</translation>
    </message>
    <message>
        <source>Power off</source>
        <translation>关机</translation>
    </message>
</context>
<context>
    <name>QuitQuestion</name>
    <message>
        <source>Quit gpudesk?</source>
        <translation>退出 gpudesk？</translation>
    </message>
    <message>
        <source>Tunnels to %1 are up. Quitting closes them.</source>
        <translation>到 %1 的隧道正在运行，退出会关闭它们。</translation>
    </message>
    <message>
        <source>They come back when gpudesk starts again.</source>
        <translation>下次启动 gpudesk 时它们会自动恢复。</translation>
    </message>
    <message>
        <source>They stay closed until you start them again (see Settings).</source>
        <translation>它们会保持关闭，直到你再次启动（见“设置”）。</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>RemoveDialog</name>
    <message>
        <source>Remove instance</source>
        <translation>删除实例</translation>
    </message>
    <message>
        <source>gpudesk will forget %1 and remove:</source>
        <translation>gpudesk 将忘记 %1，并删除：</translation>
    </message>
    <message>
        <source>Your key files stay. The instance itself keeps running and billing on the platform: stop or release it in the platform&apos;s console.</source>
        <translation>你的密钥文件会保留。实例本身仍在平台上运行并计费：请在平台控制台中关机或释放它。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>the saved instance (%1)</source>
        <translation>已保存的实例（%1）</translation>
    </message>
    <message>
        <source>its ssh alias (file %1)</source>
        <translation>它的 ssh 别名（文件 %1）</translation>
    </message>
    <message>
        <source>its pinned host key</source>
        <translation>它已记住的主机密钥</translation>
    </message>
    <message>
        <source>its saved tunnels: %1</source>
        <translation>它已保存的隧道：%1</translation>
    </message>
    <message>
        <source>login password</source>
        <translation>登录密码</translation>
    </message>
    <message>
        <source>Jupyter token</source>
        <translation>Jupyter 令牌</translation>
    </message>
    <message>
        <source>from the keyring: its %1</source>
        <translation>钥匙串中的：%1</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <source>Rename instance</source>
        <translation>重命名实例</translation>
    </message>
    <message>
        <source>The new name is also the ssh alias (ssh NAME). The host key, the saved password and the tunnels of %1 stay with it.</source>
        <translation>新名称同时也是 ssh 别名（ssh 名称）。%1 的主机密钥、已保存的密码和隧道都会保留。</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
</context>
<context>
    <name>RepointDialog</name>
    <message>
        <source>Re-point %1</source>
        <extracomment>How long the worker waits for the host-key answer (s).</extracomment>
        <translation>更换 %1 的地址</translation>
    </message>
    <message>
        <source>Powered on again, the instance may have a new address. Paste the login command the console shows now: %1 keeps its name, key and tunnels.</source>
        <translation>实例重新开机后地址可能会变。请粘贴控制台现在显示的登录指令：%1 的名称、密钥和隧道都会保留。</translation>
    </message>
    <message>
        <source>only if the key is not on it yet</source>
        <translation>仅当新机器上还没有密钥时需要</translation>
    </message>
    <message>
        <source>Login command:</source>
        <translation>登录指令：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Re-point</source>
        <translation>更换地址</translation>
    </message>
    <message>
        <source>New address: %1</source>
        <translation>新地址：%1</translation>
    </message>
    <message>
        <source>Logging in to %1…</source>
        <translation>正在登录 %1…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>A new language takes effect when gpudesk starts again.</source>
        <translation>新的语言将在 gpudesk 重新启动后生效。</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Tunnels that were up come back when gpudesk starts</source>
        <translation>启动 gpudesk 时恢复上次运行中的隧道</translation>
    </message>
    <message>
        <source>A GPU counts as idle below this utilisation; after this many idle minutes gpudesk reminds you that the instance is still billing.</source>
        <translation>GPU 使用率低于这个值即视为空闲；空闲达到这么多分钟后，gpudesk 会提醒你实例仍在计费。</translation>
    </message>
    <message>
        <source>Idle below:</source>
        <translation>空闲阈值：</translation>
    </message>
    <message>
        <source>Remind after:</source>
        <translation>提醒时间：</translation>
    </message>
    <message>
        <source>Warn when the AutoDL balance is below:</source>
        <translation>AutoDL 余额低于此值时提醒：</translation>
    </message>
</context>
<context>
    <name>StatePanel</name>
    <message>
        <source>Connect all</source>
        <extracomment>Redraw at most this often when events pour in (ms).</extracomment>
        <translation>全部连接</translation>
    </message>
    <message>
        <source>Disconnect all</source>
        <translation>全部断开</translation>
    </message>
    <message>
        <source>Open the console</source>
        <translation>打开控制台</translation>
    </message>
    <message>
        <source>Power off now…</source>
        <translation>立即关机…</translation>
    </message>
    <message>
        <source>No system tray was found, so gpudesk shows its state here and quits when this window is closed. On GNOME, install the “AppIndicator and KStatusNotifierItem Support” extension (Debian/Ubuntu: gnome-shell-extension-appindicator), log out and in, and start gpudesk again to keep it in the tray.</source>
        <translation>没有找到系统托盘，因此 gpudesk 在这里显示状态，并在关闭此窗口时退出。在 GNOME 上，请安装 “AppIndicator and KStatusNotifierItem Support” 扩展（Debian/Ubuntu：gnome-shell-extension-appindicator），注销后重新登录，再启动 gpudesk，它就能常驻托盘。</translation>
    </message>
    <message>
        <source>Open Jupyter</source>
        <translation>打开 Jupyter</translation>
    </message>
    <message>
        <source>Open in VS Code</source>
        <translation>在 VS Code 中打开</translation>
    </message>
    <message>
        <source>Copy ssh command</source>
        <translation>复制 ssh 命令</translation>
    </message>
    <message>
        <source>Tunnels and GPUs</source>
        <translation>隧道和 GPU</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Give the instance a short name: you will use it in gpudesk and, later, as &apos;ssh NAME&apos; and in your editor. Finish saves it to your list.</source>
        <translation>给实例起一个简短的名字：在 gpudesk 中会用到它，之后也用于 “ssh 名字” 和编辑器。点击“完成”会把它保存到你的列表。</translation>
    </message>
    <message>
        <source>(named in the Editor step; go Back to change it)</source>
        <translation>（已在“编辑器”一步中命名；如需修改请返回上一步）</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>What the check found:</source>
        <translation>检查发现：</translation>
    </message>
    <message>
        <source>Save the instance</source>
        <translation>保存实例</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Host key</source>
        <translation>主机密钥</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>none found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>¥%1 per hour</source>
        <translation>每小时 ¥%1</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>在系统钥匙串中记住密码</translation>
    </message>
    <message>
        <source>Remember the password until gpudesk quits (no system keyring found)</source>
        <translation>记住密码直到 gpudesk 退出（未找到系统钥匙串）</translation>
    </message>
</context>
<context>
    <name>Text</name>
    <message>
        <source>%1:</source>
        <translation>%1：</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <source>Port {port}</source>
        <extracomment>The redirect page that carries a Jupyter token is deleted after this long (ms).</extracomment>
        <translation>端口 {port}</translation>
    </message>
    <message>
        <source>Port {port} ({number})</source>
        <translation>端口 {port}（{number}）</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Connect all</source>
        <extracomment>How long a notification bubble stays (ms).</extracomment>
        <translation>全部连接</translation>
    </message>
    <message>
        <source>Disconnect all</source>
        <translation>全部断开</translation>
    </message>
    <message>
        <source>Open gpudesk</source>
        <translation>打开 gpudesk</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Open Jupyter</source>
        <translation>打开 Jupyter</translation>
    </message>
    <message>
        <source>Open in VS Code</source>
        <translation>在 VS Code 中打开</translation>
    </message>
    <message>
        <source>Copy ssh command</source>
        <translation>复制 ssh 命令</translation>
    </message>
    <message>
        <source>GPU idle: stop it in the console…</source>
        <translation>GPU 空闲：去控制台关机…</translation>
    </message>
    <message>
        <source>GPU idle: power off now…</source>
        <translation>GPU 空闲：立即关机…</translation>
    </message>
    <message>
        <source>Power off…</source>
        <translation>关机…</translation>
    </message>
    <message>
        <source>Copied: %1</source>
        <translation>已复制：%1</translation>
    </message>
    <message>
        <source>gpudesk keeps your tunnels up from here. Quit from this menu.</source>
        <translation>gpudesk 在这里保持你的隧道连通。要退出请使用此菜单。</translation>
    </message>
    <message>
        <source>gpudesk: that did not work</source>
        <translation>gpudesk：操作没有成功</translation>
    </message>
</context>
<context>
    <name>TrayTexts</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>≈ ¥%1</source>
        <translation>≈ ¥%1</translation>
    </message>
    <message>
        <source>up %1</source>
        <translation>已运行 %1</translation>
    </message>
    <message>
        <source>GPU monitor stopped</source>
        <translation>GPU 监控已停止</translation>
    </message>
    <message>
        <source>GPU %1 %</source>
        <translation>GPU %1 %</translation>
    </message>
    <message>
        <source>%1/%2 GiB</source>
        <translation>%1/%2 GiB</translation>
    </message>
    <message>
        <source>GPU unknown</source>
        <translation>GPU 未知</translation>
    </message>
    <message>
        <source>GPU …</source>
        <translation>GPU …</translation>
    </message>
    <message>
        <source>Estimate from what gpudesk saw, not the platform&apos;s bill.</source>
        <translation>根据 gpudesk 观察到的情况估算，并非平台账单。</translation>
    </message>
    <message>
        <source>Total %1 (estimate, not the bill)</source>
        <translation>合计 %1（估算，并非账单）</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>up</source>
        <translation>已连通</translation>
    </message>
    <message>
        <source>reconnecting…</source>
        <translation>正在重连…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Jupyter</source>
        <translation>Jupyter</translation>
    </message>
    <message>
        <source>TensorBoard</source>
        <translation>TensorBoard</translation>
    </message>
    <message>
        <source>localhost:%1</source>
        <translation>localhost:%1</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>gpudesk: %1 failed: %2</source>
        <translation>gpudesk：%1 失败：%2</translation>
    </message>
    <message>
        <source>gpudesk: reconnecting %1 (%2 of %3 tunnels up)</source>
        <translation>gpudesk：正在重连 %1（%3 条隧道中 %2 条已连通）</translation>
    </message>
    <message>
        <source>gpudesk: GPU idle on %1</source>
        <translation>gpudesk：%1 的 GPU 空闲</translation>
    </message>
    <message>
        <source>gpudesk: %1 tunnels up on %2 instances</source>
        <translation>gpudesk：%2 个实例上有 %1 条隧道已连通</translation>
    </message>
    <message>
        <source>gpudesk: nothing running</source>
        <translation>gpudesk：没有正在运行的隧道</translation>
    </message>
    <message>
        <source>%1: connection lost</source>
        <translation>%1：连接断开</translation>
    </message>
    <message>
        <source>Down for %1 (%2). gpudesk keeps retrying.</source>
        <translation>已断开 %1（%2）。gpudesk 会一直重试。</translation>
    </message>
    <message>
        <source>%1: back up</source>
        <translation>%1：已恢复</translation>
    </message>
    <message>
        <source>The tunnels work again after %1.</source>
        <translation>隧道在%1后恢复正常。</translation>
    </message>
    <message>
        <source>%1: host key changed</source>
        <translation>%1：主机密钥已变化</translation>
    </message>
    <message>
        <source>The instance presented a different host key, so gpudesk stopped. If you re-created the instance, check the new key on the platform console and trust it again in gpudesk; otherwise do not connect.</source>
        <translation>实例出示了不同的主机密钥，因此 gpudesk 已停止。如果你重新创建了实例，请在平台控制台核对新密钥，然后在 gpudesk 中重新信任；否则不要连接。</translation>
    </message>
    <message>
        <source>%1: tunnel failed</source>
        <translation>%1：隧道失败</translation>
    </message>
    <message>
        <source>%1: GPU idle for %2 min, about ¥%3 per hour. Stop it in the console?</source>
        <translation>%1：GPU 已空闲 %2 分钟，每小时约 ¥%3。要在控制台关机吗？</translation>
    </message>
    <message>
        <source>%1: GPU idle for %2 min. Stop it in the console?</source>
        <translation>%1：GPU 已空闲 %2 分钟。要在控制台关机吗？</translation>
    </message>
    <message>
        <source>%1: GPU idle</source>
        <translation>%1：GPU 空闲</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Note: the platform releases stopped instances after %1 days.</source>
        <translation>注意：平台会在关机 %1 天后释放实例。</translation>
    </message>
    <message>
        <source>GPU monitor stopped: %1</source>
        <translation>GPU 监控已停止：%1</translation>
    </message>
    <message>
        <source>Postpone 30 min</source>
        <translation>推迟 30 分钟</translation>
    </message>
    <message>
        <source>Cancel power-off</source>
        <translation>取消关机</translation>
    </message>
    <message>
        <source>%1: the guard is counting down</source>
        <translation>%1：守护正在倒计时</translation>
    </message>
    <message>
        <source>%1. Postpone or cancel it from the tray menu.</source>
        <translation>%1。可在托盘菜单中推迟或取消。</translation>
    </message>
    <message>
        <source>%1 is up</source>
        <translation>%1 已开机</translation>
    </message>
    <message>
        <source>The instance is running and gpudesk can reach it.</source>
        <translation>实例正在运行，gpudesk 可以连上它。</translation>
    </message>
    <message>
        <source>%1: powering off</source>
        <translation>%1：正在关机</translation>
    </message>
    <message>
        <source>The platform accepted the request and is stopping the instance.</source>
        <translation>平台已接受请求，正在关闭实例。</translation>
    </message>
</context>
<context>
    <name>TunnelTexts</name>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>已连通</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>正在重连</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Connecting to the instance…</source>
        <translation>正在连接实例…</translation>
    </message>
    <message>
        <source>Connected to %1.</source>
        <translation>已连接到 %1。</translation>
    </message>
    <message>
        <source>Connected.</source>
        <translation>已连接。</translation>
    </message>
    <message>
        <source>Trying again.</source>
        <translation>正在重试。</translation>
    </message>
    <message>
        <source>Next try in %1 s.</source>
        <translation>%1 秒后重试。</translation>
    </message>
    <message>
        <source>Nothing answers on port %1 of the instance.</source>
        <translation>实例的 %1 端口上没有服务响应。</translation>
    </message>
    <message>
        <source>Service answers</source>
        <translation>服务正常</translation>
    </message>
    <message>
        <source>Service down</source>
        <translation>服务无响应</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Not answering (powered off?)</source>
        <translation>无响应（已关机？）</translation>
    </message>
    <message>
        <source>1 tunnel up</source>
        <translation>1 条隧道已连通</translation>
    </message>
    <message>
        <source>%1 tunnels up</source>
        <translation>%1 条隧道已连通</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
</context>
<context>
    <name>TunnelsPanel</name>
    <message>
        <source>Tunnels to {alias} ({address})</source>
        <extracomment>Colours of the state column (readable on light and dark backgrounds). Every event of this instance&apos;s tunnels, on the GUI thread (for the tray).</extracomment>
        <translation>到 {alias}（{address}）的隧道</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>On the instance</source>
        <translation>实例上</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <source>Add port</source>
        <translation>添加端口</translation>
    </message>
    <message>
        <source>Local port</source>
        <translation>本地端口</translation>
    </message>
    <message>
        <source>Port on the instance</source>
        <translation>实例上的端口</translation>
    </message>
    <message>
        <source>Open Jupyter</source>
        <translation>打开 Jupyter</translation>
    </message>
    <message>
        <source>Open TensorBoard</source>
        <translation>打开 TensorBoard</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Stop this tunnel and forget it</source>
        <translation>停止这条隧道并不再保存</translation>
    </message>
    <message>
        <source>Port {port} is used by another program. {free} is free: try it.</source>
        <translation>端口 {port} 已被其他程序占用。{free} 空闲：可以试试它。</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Port %1 on the instance is already forwarded (to 127.0.0.1:%2).</source>
        <translation>实例的 %1 端口已经转发过了（到 127.0.0.1:%2）。</translation>
    </message>
    <message>
        <source>The tunnel is up, but nothing answers behind it on the instance.</source>
        <translation>隧道已连通，但实例上对应的服务没有响应。</translation>
    </message>
</context>
<context>
    <name>WizardText</name>
    <message>
        <source>Use 1-64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, not starting with &apos;-&apos; or &apos;.&apos;.</source>
        <translation>请使用 1-64 个字母、数字、“.”、“_”或“-”，且不能以“-”或“.”开头。</translation>
    </message>
    <message>
        <source>An instance with this name exists already.</source>
        <translation>已有同名的实例。</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>显卡</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>SSH key</source>
        <translation>SSH 密钥</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>编辑器</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>No SSH</source>
        <translation>无 SSH</translation>
    </message>
    <message>
        <source>Inference, fp16/bf16</source>
        <translation>推理，fp16/bf16</translation>
    </message>
    <message>
        <source>Inference, 8-bit</source>
        <translation>推理，8 位量化</translation>
    </message>
    <message>
        <source>Inference, 4-bit</source>
        <translation>推理，4 位量化</translation>
    </message>
    <message>
        <source>LoRA fine-tuning</source>
        <translation>LoRA 微调</translation>
    </message>
    <message>
        <source>Full fine-tuning (Adam, mixed precision)</source>
        <translation>全参数微调（Adam，混合精度）</translation>
    </message>
    <message>
        <source>fp16/bf16 weights</source>
        <translation>fp16/bf16 权重</translation>
    </message>
    <message>
        <source>int8 weights</source>
        <translation>int8 权重</translation>
    </message>
    <message>
        <source>int4 weights</source>
        <translation>int4 权重</translation>
    </message>
    <message>
        <source>2 for frozen fp16 weights + 1 % trainable adapters x 16 for their weights, gradients and Adam states</source>
        <translation>冻结的 fp16 权重 2 + 1 % 可训练适配器 × 16（其权重、梯度和 Adam 状态）</translation>
    </message>
    <message>
        <source>fp16 weights 2 + fp16 gradients 2 + fp32 master weights 4 + Adam moments 8</source>
        <translation>fp16 权重 2 + fp16 梯度 2 + fp32 主权重 4 + Adam 动量 8</translation>
    </message>
    <message>
        <source>web notebook</source>
        <translation>网页笔记本</translation>
    </message>
    <message>
        <source>VS Code in the browser</source>
        <translation>浏览器版 VS Code</translation>
    </message>
    <message>
        <source>terminal in the browser</source>
        <translation>网页终端</translation>
    </message>
    <message>
        <source>CUDA %1 is older than the %2 (%3) needs: choose an image built with a newer CUDA.</source>
        <translation>CUDA %1 太旧，不支持 %2（%3）：请选择基于更新 CUDA 构建的镜像。</translation>
    </message>
    <message>
        <source>CUDA %1 builds have no kernels for the %2 (%3): choose a build with an older CUDA (e.g. 12.6 or 12.1).</source>
        <translation>基于 CUDA %1 的构建没有 %2（%3）的内核：请选择基于较旧 CUDA（如 12.6 或 12.1）的构建。</translation>
    </message>
    <message>
        <source>The %1 is a Pascal card (%2): PyTorch builds after 2.2 may lack its kernels. Prefer torch &lt;= 2.2 with numpy &lt; 2.</source>
        <translation>%1 是 Pascal 架构的卡（%2）：2.2 之后的 PyTorch 可能没有它的内核。建议使用 torch &lt;= 2.2 并搭配 numpy &lt; 2。</translation>
    </message>
    <message>
        <source>PyTorch %1 was built against NumPy 1.x: keep numpy &lt; 2 (pip install &apos;numpy&lt;2&apos;).</source>
        <translation>PyTorch %1 基于 NumPy 1.x 构建：请保持 numpy &lt; 2（pip install &apos;numpy&lt;2&apos;）。</translation>
    </message>
    <message>
        <source>No PyTorch preinstalled: install a build that supports the %1 (%2) with pip.</source>
        <translation>没有预装 PyTorch：请用 pip 安装支持 %1（%2）的版本。</translation>
    </message>
    <message>
        <source>%1 supports the %2.</source>
        <translation>%1 支持 %2。</translation>
    </message>
    <message>
        <source>No NVIDIA GPU was found on the instance: it may run in a GPU-less mode, or the GPU is not attached.</source>
        <translation>实例上没有找到 NVIDIA 显卡：可能处于无卡模式，或显卡没有挂载。</translation>
    </message>
    <message>
        <source>You chose %1, but the instance has %2.</source>
        <translation>你选择的是 %1，但实例上是 %2。</translation>
    </message>
    <message>
        <source>PyTorch %1 cannot use the GPU (torch.cuda.is_available() is False): a CPU-only build, or a driver older than the build&apos;s CUDA.</source>
        <translation>PyTorch %1 无法使用显卡（torch.cuda.is_available() 为 False）：可能是纯 CPU 版本，或驱动比该版本所需的 CUDA 旧。</translation>
    </message>
    <message>
        <source>PyTorch %1 has kernels for %2 but the GPU is %3: CUDA calls will fail with &apos;no kernel image is available&apos;. Install a build that includes %3.</source>
        <translation>PyTorch %1 只有 %2 的内核，而显卡是 %3：CUDA 调用会报错 &apos;no kernel image is available&apos;。请安装包含 %3 的版本。</translation>
    </message>
    <message>
        <source>PyTorch %1 has no %2 kernels and runs through PTX compiled by the driver: the first start can take minutes.</source>
        <translation>PyTorch %1 没有 %2 的内核，需要由驱动即时编译 PTX 运行：第一次启动可能需要几分钟。</translation>
    </message>
    <message>
        <source>The chosen image comes with PyTorch, but the login shell&apos;s Python cannot import it (another conda environment may be active).</source>
        <translation>所选镜像自带 PyTorch，但登录 shell 的 Python 无法导入它（可能激活了其他 conda 环境）。</translation>
    </message>
    <message>
        <source>The disk holding %1 is %2 % full (%3 GiB free).</source>
        <translation>%1 所在的磁盘已用 %2 %（剩余 %3 GiB）。</translation>
    </message>
    <message>
        <source>Connecting to %1 and logging in…</source>
        <translation>正在连接 %1 并登录…</translation>
    </message>
    <message>
        <source>Logged in: reading the GPU, Python, PyTorch and disk…</source>
        <translation>已登录：正在读取 GPU、Python、PyTorch 和磁盘信息…</translation>
    </message>
</context>
<context>
    <name>WizardWidget</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
</TS>
